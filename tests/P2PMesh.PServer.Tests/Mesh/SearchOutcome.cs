using System.Diagnostics;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>Every event of one search, sorted by kind, and the status the call ended with.</summary>
public sealed record SearchOutcome(IReadOnlyList<SearchEvent> Events, TimeSpan Elapsed, Status Status)
{
    public IReadOnlyList<Hit> Hits => [.. Events.Where(e => e.EventCase == SearchEvent.EventOneofCase.Hit).Select(e => e.Hit)];

    public IReadOnlyList<Edge> Edges => [.. Events.Where(e => e.EventCase == SearchEvent.EventOneofCase.Edge).Select(e => e.Edge)];

    public FloodStats Stats => Events.Last(e => e.EventCase == SearchEvent.EventOneofCase.Stats).Stats;

    /// <summary>Reads <paramref name="call"/> to its end (a failed call throws its <see cref="RpcException"/>).</summary>
    public static async Task<SearchOutcome> ReadAsync(AsyncServerStreamingCall<SearchEvent> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = Stopwatch.GetTimestamp();
        var events = await call.ResponseStream.ReadAllAsync().ToListAsync();
        return new SearchOutcome(events, Stopwatch.GetElapsedTime(started), call.GetStatus());
    }
}

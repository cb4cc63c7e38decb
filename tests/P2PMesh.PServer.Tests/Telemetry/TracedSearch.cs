using System.Diagnostics;
using Google.Protobuf;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>
/// A flood search from a client that is itself traced (as a PClient-API's search is): the call runs under a sampled
/// span of the caller's, so the client's gRPC span and its <c>traceparent</c> continue the caller's trace.
/// </summary>
internal static class TracedSearch
{
    /// <summary>Searches <c>*.bin</c> through peer 0 (hops 0) and collects every event; returns them and the caller's span.</summary>
    public static async Task<(SearchOutcome Outcome, ActivityContext Caller)> RunAsync(TestMesh mesh, uint ttl, byte[]? queryId = null)
    {
        using var caller = new Activity("p2pmesh.tests.caller");
        caller.SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        caller.Start();
        var request = new SearchRequest { QueryId = ByteString.CopyFrom(queryId ?? Guid.NewGuid().ToByteArray()), Pattern = "*.bin", Ttl = ttl };
        using var call = mesh[0].Client.Search(request, deadline: DateTime.UtcNow.AddSeconds(30));
        return (await SearchOutcome.ReadAsync(call), caller.Context);
    }
}

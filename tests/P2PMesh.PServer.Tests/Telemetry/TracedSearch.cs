using Google.Protobuf;
using P2PMesh.Core.Peers;
using Grpc.Core;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>A flood search from a client that is itself traced: its <c>traceparent</c> travels in the call's metadata.</summary>
internal static class TracedSearch
{
    /// <summary>Searches <c>*.bin</c> through peer 0 (hops 0) under <paramref name="traceparent"/> and collects every event.</summary>
    public static async Task<SearchOutcome> RunAsync(TestMesh mesh, string traceparent, uint ttl, byte[]? queryId = null)
    {
        using var channel = GrpcChannel.ForAddress(mesh[0].Address);
        var request = new SearchRequest { QueryId = ByteString.CopyFrom(queryId ?? Guid.NewGuid().ToByteArray()), Pattern = "*.bin", Ttl = ttl };
        using var call = channel.AsyncServerStreamingCall(PeerMethods.Search, request,
            new CallOptions(new Metadata { { "traceparent", traceparent } }).WithTimeout(TimeSpan.FromSeconds(30)));
        var events = new List<SearchEvent>();
        await foreach (var e in call.ResponseStream)
        {
            events.Add(e);
        }
        return new SearchOutcome(events, TimeSpan.Zero);
    }
}

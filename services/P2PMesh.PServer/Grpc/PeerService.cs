using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.Extensions.Options;
using P2PMesh.Grpc;
using P2PMesh.V1;

namespace P2PMesh.PServer.Grpc;

/// <summary><c>p2pmesh.v1.Peer</c> (protos/p2pmesh/v1/peer.proto).</summary>
public sealed class PeerService(IOptions<PeerNodeOptions> options, PeerEndpoint endpoint, TimeProvider timeProvider) : IGrpcService
{
    /// <inheritdoc />
    public static ServiceDescriptor Descriptor => PeerReflection.Descriptor.Services[0];

    /// <summary>Answers with this peer's identity and wall clock (Unix milliseconds).</summary>
    public Task<PingReply> Ping(PingRequest request, ServerCallContext context) =>
        Task.FromResult(new PingReply
        {
            Peer = new PeerInfo { Id = options.Value.Id, Address = endpoint.Address },
            UnixTimeMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
        });
}

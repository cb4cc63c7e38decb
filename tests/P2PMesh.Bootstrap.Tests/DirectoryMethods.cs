using Grpc.Net.Client;
using P2PMesh.Contracts;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Tests;

/// <summary>
/// Shorthands for tests: <c>p2pmesh.v1.PeerDirectory</c> through the generated <see cref="PeerDirectory.PeerDirectoryClient"/>
/// over a channel, each call with a 5 s deadline.
/// </summary>
public static class DirectoryMethods
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static SharedFile Entry(string name, string content, uint chunkSize = 65536) => new()
    {
        Name = name,
        Size = (ulong)content.Length,
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content))),
        ChunkSize = chunkSize,
    };

    public static async Task<LoginReply> LoginAsync(this GrpcChannel channel, PeerInfo peer, string? credential) =>
        await Client(channel).LoginAsync(new LoginRequest { Peer = peer, Credential = credential ?? string.Empty }, deadline: Deadline());

    public static async Task LogoutAsync(this GrpcChannel channel, string session) =>
        await Client(channel).LogoutAsync(new LogoutRequest { Session = session }, deadline: Deadline());

    /// <summary>Sends a FULL or DELTA update whose digest is that of <paramref name="after"/> (the peer's index once applied).</summary>
    public static async Task<SendIndexReply> SendIndexAsync(
        this GrpcChannel channel, string session, SendIndexRequest.Types.Kind kind, IEnumerable<SharedFile> after,
        IEnumerable<SharedFile>? upserted = null, IEnumerable<string>? removed = null)
    {
        var request = new SendIndexRequest { Session = session, Kind = kind, Digest = IndexDigest.Compute(after) };
        request.Upserted.AddRange(upserted ?? (kind == SendIndexRequest.Types.Kind.Full ? after : []));
        request.Removed.AddRange((removed ?? []).Select(n => new SharedFile { Name = n }));
        return await channel.SendIndexAsync(request);
    }

    public static async Task<SendIndexReply> SendIndexAsync(this GrpcChannel channel, SendIndexRequest request) =>
        await Client(channel).SendIndexAsync(request, deadline: Deadline());

    public static async Task<QueryReply> QueryAsync(this GrpcChannel channel, string pattern) =>
        await Client(channel).QueryAsync(new QueryRequest { Pattern = pattern }, deadline: Deadline());

    /// <summary>"holder id:name" of every hit, in the reply's order.</summary>
    public static async Task<List<string>> QueryHoldersAsync(this GrpcChannel channel, string pattern) =>
        [.. (await channel.QueryAsync(pattern)).Hits.Select(h => $"{h.Holder.Id}:{h.Name}")];

    private static PeerDirectory.PeerDirectoryClient Client(GrpcChannel channel) => new(channel);

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;
}

using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Directory;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.Contracts;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Grpc;

/// <summary>
/// <c>p2pmesh.v1.PeerDirectory</c> (protos/p2pmesh/v1/directory.proto; docs/architecture.md, Directory): peers log in with
/// their secret (<see cref="PeerSecrets"/>), send their index into <see cref="DirectoryIndex"/>, and anyone queries it.
/// Served by the Bootstrap next to <see cref="BootstrapService"/>: a logged-in peer is registered in the same
/// <see cref="PeerRegistry"/>, and <c>Bootstrap.Heartbeat</c> keeps its session alive.
/// </summary>
public sealed partial class PeerDirectoryService(
    DirectoryIndex index,
    PeerSecrets secrets,
    PeerRegistry registry,
    IOptions<BootstrapOptions> bootstrapOptions,
    IOptions<DirectoryOptions> directoryOptions,
    PeerTokenIssuer tokens,
    ILogger<PeerDirectoryService> logger) : PeerDirectory.PeerDirectoryBase
{
    /// <summary>
    /// Issues a peer token (<see cref="PeerTokenIssuer.Issue"/>) once the secret checks out as for <see cref="Login"/>;
    /// records nothing. Open without a token: it is how a peer gets one.
    /// </summary>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/>: a malformed peer id or address; <see cref="StatusCode.Unauthenticated"/>: a
    /// wrong or missing credential or a peer id without a secret.
    /// </exception>
    [AllowAnonymous]
    public override Task<IssueTokenReply> IssueToken(IssueTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? address = null;
        if (!string.IsNullOrEmpty(request.Address))
        {
            address = PeerInfoValidation.Validate(new PeerInfo { Id = request.PeerId, Address = request.Address }, "peer").ToString();
        }
        else if (string.IsNullOrWhiteSpace(request.PeerId) || request.PeerId.Length > PeerInfoValidation.MaxIdLength)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "peer_id must be 1.." + PeerInfoValidation.MaxIdLength + " characters"));
        }
        if (!secrets.Verify(request.PeerId, request.Credential))
        {
            Log.LoginRefused(logger, request.PeerId, context.Peer);
            throw new RpcException(new Status(StatusCode.Unauthenticated, "wrong or missing credential for this peer id"));
        }
        var (token, expiresAt) = tokens.Issue(request.PeerId, address);
        return Task.FromResult(new IssueTokenReply { Token = token, ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt) });
    }

    /// <summary>The public keys that verify peer tokens (<see cref="PeerTokenIssuer.KeySetJson"/>). Open to anyone.</summary>
    [AllowAnonymous]
    public override Task<GetTokenKeysReply> GetTokenKeys(GetTokenKeysRequest request, ServerCallContext context) =>
        Task.FromResult(new GetTokenKeysReply { Jwks = tokens.KeySetJson });

    /// <summary>
    /// Logs the peer in: registers it as <c>Bootstrap.Join</c> does and returns a new session with the heartbeat and digest
    /// intervals. A session the peer had ends and its index is dropped.
    /// </summary>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.InvalidArgument"/>: a malformed peer; <see cref="StatusCode.Unauthenticated"/>: a wrong or
    /// missing credential or a peer id without a secret (nothing is recorded).
    /// </exception>
    [AllowAnonymous]
    public override Task<LoginReply> Login(LoginRequest request, ServerCallContext context)
    {
        var address = PeerInfoValidation.Validate(request.Peer, "peer");
        if (!secrets.Verify(request.Peer.Id, request.Credential))
        {
            Log.LoginRefused(logger, request.Peer.Id, context.Peer);
            throw new RpcException(new Status(StatusCode.Unauthenticated, "wrong or missing credential for this peer id"));
        }
        var peer = new PeerInfo { Id = request.Peer.Id, Address = address.ToString() };
        try
        {
            registry.Join(peer, context.GetHttpContext().Connection.RemoteIpAddress);
        }
        catch (SourceFullException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
        }
        return Task.FromResult(new LoginReply
        {
            Session = index.Login(peer),
            HeartbeatInterval = Duration.FromTimeSpan(bootstrapOptions.Value.HeartbeatInterval),
            DigestInterval = Duration.FromTimeSpan(directoryOptions.Value.DigestInterval),
        });
    }

    /// <summary>Ends the session: the peer leaves the registry and its session and every index entry go at once.</summary>
    /// <exception cref="RpcException"><see cref="StatusCode.Unauthenticated"/>: an unknown or ended session.</exception>
    [AllowAnonymous]
    public override Task<LogoutReply> Logout(LogoutRequest request, ServerCallContext context)
    {
        var peerId = index.PeerIdOf(request.Session)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown or expired session"));
        index.Remove(peerId);
        registry.Leave(peerId);
        return Task.FromResult(new LogoutReply());
    }

    /// <summary>
    /// Applies one FULL, DELTA or DIGEST update and answers whether the directory's copy matches the peer's digest.
    /// </summary>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.Unauthenticated"/>: an unknown or expired session; <see cref="StatusCode.InvalidArgument"/>:
    /// no kind, a malformed digest or entry, a name twice, or entries in a DIGEST; <see cref="StatusCode.ResourceExhausted"/>:
    /// more than <see cref="DirectoryOptions.MaxFilesPerPeer"/> files.
    /// </exception>
    [AllowAnonymous]
    public override Task<SendIndexReply> SendIndex(SendIndexRequest request, ServerCallContext context)
    {
        if (index.PeerIdOf(request.Session) is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown or expired session; log in again"));
        }
        var removed = Validate(request);
        var reply = index.Apply(request.Session, request.Kind, request.Upserted, removed, request.Digest);
        return Task.FromResult(reply);
    }

    /// <summary>Every holder of the matching files from the directory's own index, in one reply.</summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/>: a pattern <see cref="SearchPattern.Parse"/> refuses.</exception>
    public override Task<QueryReply> Query(QueryRequest request, ServerCallContext context)
    {
        SearchPattern pattern;
        try
        {
            pattern = SearchPattern.Parse(request.Pattern);
        }
        catch (FormatException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"pattern: {ex.Message}"));
        }
        var (hits, peersIndexed) = index.Query(pattern);
        var reply = new QueryReply { PeersIndexed = (uint)peersIndexed };
        reply.Hits.AddRange(hits);
        return Task.FromResult(reply);
    }

    /// <summary>Checks the update's shape and entries; returns the removed names.</summary>
    private static string[] Validate(SendIndexRequest request)
    {
        if (request.Kind is not (SendIndexRequest.Types.Kind.Full or SendIndexRequest.Types.Kind.Delta or SendIndexRequest.Types.Kind.Digest))
        {
            throw Invalid("kind must be FULL, DELTA or DIGEST");
        }
        if (!Sha256Hex.IsLowercase(request.Digest))
        {
            throw Invalid("digest must be 64 lowercase hex digits");
        }
        if (request.Kind == SendIndexRequest.Types.Kind.Digest && (request.Upserted.Count > 0 || request.Removed.Count > 0))
        {
            throw Invalid("a DIGEST update carries no entries");
        }
        if (request.Kind == SendIndexRequest.Types.Kind.Full && request.Removed.Count > 0)
        {
            throw Invalid("a FULL update carries no removed entries");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Upserted.Count; i++)
        {
            var field = $"upserted[{i}]";
            if (IndexEntryValidation.Check(request.Upserted[i], field) is { } error)
            {
                throw Invalid(error);
            }
            if (!names.Add(request.Upserted[i].Name))
            {
                throw Invalid($"{field}.name '{request.Upserted[i].Name}' appears twice");
            }
        }
        var removed = new string[request.Removed.Count];
        for (var i = 0; i < removed.Length; i++)
        {
            var field = $"removed[{i}]";
            if (IndexEntryValidation.CheckName(request.Removed[i]?.Name, field) is { } error)
            {
                throw Invalid(error);
            }
            if (!names.Add(request.Removed[i].Name))
            {
                throw Invalid($"{field}.name '{request.Removed[i].Name}' appears twice");
            }
            removed[i] = request.Removed[i].Name;
        }
        return removed;
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.PServer.Tests.Transfers.Download;
using P2PMesh.ServiceDefaults;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Search;

/// <summary>
/// A gRPC host like the Bootstrap's (<c>AddGrpcEndpoint</c> on 127.0.0.1 and a free port) serving only
/// <c>PeerDirectory.Query</c> (protos/p2pmesh/v1/directory.proto), answering every query with <see cref="Hits"/> and
/// recording the patterns asked. Dispose it to stop it.
/// </summary>
public sealed class FakeDirectoryHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Service _service;

    private FakeDirectoryHost(WebApplication app, Service service, Uri address)
    {
        _app = app;
        _service = service;
        Address = $"127.0.0.1:{address.Port}";
    }

    /// <summary>host:port, for <c>Directory:Address</c>.</summary>
    public string Address { get; }

    /// <summary>What every query is answered with (set it once the holders' addresses are known).</summary>
    public IReadOnlyList<Hit> Hits
    {
        get => _service.Hits;
        set => _service.Hits = value;
    }

    /// <summary>The patterns of the queries received, in order.</summary>
    public IReadOnlyList<string> Queries => [.. _service.Queries];

    /// <summary>Starts a directory that answers every query with <paramref name="hits"/>.</summary>
    public static async Task<FakeDirectoryHost> StartAsync(params Hit[] hits)
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddGrpcEndpoint(new LoopbackEndpoint(), [PeerDirectory.Descriptor.FullName]);
        var service = new Service(hits);
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        try
        {
            app.MapGrpcService<Service>();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeDirectoryHost(app, service, new Uri(address));
    }

    /// <summary>A loopback <c>host:port</c> nothing listens on (bound, read, closed): a directory that is down.</summary>
    public static string ClosedAddress()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    /// <summary>A directory hit as <c>QueryReply</c> carries it: holder, name, size, sha256, chunk size (no path, no hops).</summary>
    public static Hit HitOf(string holderId, string holderAddress, string name, string sha256) => new()
    {
        Holder = new PeerInfo { Id = holderId, Address = holderAddress },
        Name = name,
        Size = 3,
        Sha256 = sha256,
        ChunkSize = 1 << 20,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The directory's Query; the other methods are left UNIMPLEMENTED.</summary>
    public sealed class Service(IReadOnlyList<Hit> hits) : PeerDirectory.PeerDirectoryBase
    {
        private volatile IReadOnlyList<Hit> _hits = hits;

        public ConcurrentQueue<string> Queries { get; } = new();

        public IReadOnlyList<Hit> Hits
        {
            get => _hits;
            set => _hits = value;
        }

        public override Task<QueryReply> Query(QueryRequest request, ServerCallContext context)
        {
            Queries.Enqueue(request.Pattern);
            var hits = _hits;
            var reply = new QueryReply { PeersIndexed = (uint)hits.Select(h => h.Holder.Id).Distinct().Count() };
            reply.Hits.AddRange(hits);
            return Task.FromResult(reply);
        }
    }
}

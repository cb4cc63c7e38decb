using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Contracts.Tls;
using P2PMesh.Core.Bus;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Telemetry;
using P2PMesh.Core.Transfers;
using P2PMesh.Core.Transfers.Download;
using P2PMesh.PClientApi.Apis;
using P2PMesh.PClientApi.Health;
using P2PMesh.PClientApi.Mesh;
using P2PMesh.PClientApi.Security;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.V1;

namespace P2PMesh.PClientApi.Extensions;

/// <summary>The PClient-API's wiring, shared by Program.cs and the tests.</summary>
public static class Extensions
{
    /// <summary>
    /// Adds the REST API on <see cref="PClientApiOptions.ListenAddress"/>:<see cref="PClientApiOptions.Port"/>
    /// (plaintext HTTP/1.1: HTTP/2 would need TLS to be negotiated, so Kestrel would only warn and serve
    /// HTTP/1.1 anyway), problem details for every error, the OpenAPI document, the client of
    /// this peer's PServer (<see cref="PServerClient"/>), and downloads into this peer's share (section <c>Content</c>, shared with the PServer).
    /// OpenTelemetry export when an <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: <c>service.name</c>
    /// <c>p2pmesh-pclient-api</c>, <c>service.instance.id</c> = the peer id, <c>Peer:Id</c> (environment
    /// <c>Peer__Id</c>, as for the PServer), defaulting to the host name (the pod name, like the PServer's);
    /// each search is the span <c>p2pmesh.search</c> (<see cref="PServerClient"/>).
    /// </summary>
    /// <exception cref="OptionsValidationException">Invalid <c>Api</c> settings.</exception>
    public static WebApplicationBuilder AddPClientApi(this WebApplicationBuilder builder)
    {
        var settings = builder.AddValidatedOptions(PClientApiOptions.SectionName, new PClientApiOptionsValidator());
        var address = IPAddress.Parse(settings.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, settings.Port, l => l.Protocols = HttpProtocols.Http1));
        var peerId = builder.Configuration["Peer:Id"];
        // The Peer methods it calls (Ping for /readyz and /api/peers, GetNeighbours): the mesh's housekeeping, as for the PServer.
        builder.AddServiceDefaults(TelemetryServiceNames.PClientApi, string.IsNullOrWhiteSpace(peerId) ? Environment.MachineName : peerId, HousekeepingMethods.Paths);
        builder.Services.AddHealthChecks().AddCheck<PServerHealthCheck>("pserver", tags: [HealthTags.Ready]);
        // This host's P2PMesh.Search source: PServerClient records one p2pmesh.search span per search on it.
        builder.Services.AddMeshActivitySources();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RpcExceptionHandler>();
        // Binding failures and oversized bodies become problems that say what is wrong (not a bare 400).
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        // Its peer token (docs/security.md, Admission), from the directory with the peer's secret (Directory:Address or
        // Neighbours:Bootstrap, Directory:Secret), sent on every call to its PServer and to other peers.
        builder.Services.AddOptionsWithValidateOnStart<DirectoryClientOptions, DirectoryClientOptionsValidator>().Bind(builder.Configuration.GetSection(DirectoryClientOptions.SectionName));
        builder.Services.AddOptionsWithValidateOnStart<NeighbourOptions, NeighbourOptionsValidator>().Bind(builder.Configuration.GetSection(NeighbourOptions.SectionName));
        builder.Services.AddSingleton<PeerTokenHolder>();
        builder.Services.AddSingleton<IPeerTokenSubject, ApiTokenSubject>();
        builder.Services.AddHostedService<PeerTokenSource>();
        builder.Services.AddSingleton<PeerChannelPool>();
        builder.Services.AddHostedService<PeerChannelSweeper>();
        // Its own PServer, over the mesh's TLS when Tls:Enabled (docs/security.md, Transport).
        builder.Services.AddGrpcClient<Peer.PeerClient>((sp, o) => o.Address = sp.GetRequiredService<MeshTls>().UriOf(PServerAddress(settings)))
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
                sp.GetRequiredService<MeshTls>().ConfigureClient(handler);
                return handler;
            })
            .AddHttpMessageHandler(sp => new BearerTokenHandler(sp.GetRequiredService<PeerTokenHolder>()));
        builder.Services.AddSingleton<KnownPeers>();
        builder.Services.AddSingleton<PServerClient>();

        // Downloads land in this peer's share, which the API shares with its PServer (the same volume in
        // a pod, the same folder locally). The API keeps its own index of it, scanned only on demand (no
        // watcher, no timer) and reading the PServer's hash cache, so nothing is hashed twice.
        // The upload limit: the same key (Transfers:MaxUploadBytes) as the PServer's, so one setting serves both.
        builder.AddValidatedOptions(TransferOptions.SectionName, new TransferOptionsValidator());
        builder.AddValidatedOptions(ContentIndexOptions.SectionName, new ContentIndexOptionsValidator());
        builder.Services.AddSingleton<ContentIndex>();
        builder.Services.AddDownloads(builder.Configuration);
        // GET /api/watch: the message bus, only with Mom:Uri (the connection is named after the peer id).
        builder.Services.AddMomConnection(builder.Configuration, _ => string.IsNullOrWhiteSpace(peerId) ? "p2pmesh-pclient-api" : peerId + "/api");
        return builder;
    }

    private static PeerAddress PServerAddress(PClientApiOptions settings) =>
        PeerAddress.TryParse(settings.PServer, out var address, out var error) ? address : throw new InvalidOperationException($"Api:PServer: {error}");

    /// <summary>Maps the REST endpoints, <c>/healthz</c>, <c>/readyz</c> and <c>/openapi/v1.json</c>.</summary>
    public static WebApplication MapPClientApi(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ApiTokenGate>();
        app.MapOpenApi();
        app.MapSearchApi();
        app.MapFilesApi();
        app.MapPeersApi();
        app.MapUploadsApi();
        app.MapDownloadsApi();
        app.MapFileContentApi();
        app.MapWatchApi();
        return app;
    }
}

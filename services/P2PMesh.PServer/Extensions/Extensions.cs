using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core;
using P2PMesh.Core.Bus;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.PServer.Admission;
using P2PMesh.PServer.Grpc;
using P2PMesh.PServer.Health;
using P2PMesh.PServer.Limits;
using P2PMesh.ServiceDefaults.Admission;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.V1;

namespace P2PMesh.PServer.Extensions;

/// <summary>The PServer's own wiring, shared by Program.cs and the tests.</summary>
public static class Extensions
{
    /// <summary>
    /// Adds what the PServer hosts: its gRPC endpoint on <see cref="PeerNodeOptions.ListenAddress"/>:<see cref="PeerNodeOptions.GrpcPort"/>
    /// (<c>p2pmesh.v1.Peer</c>, ready once the share is scanned: <see cref="ShareHealthCheck"/>), the service defaults
    /// (<c>service.name</c> <c>p2pmesh-pserver</c>, <c>service.instance.id</c> = <see cref="PeerNodeOptions.Id"/>), the content
    /// index of the share (section <c>Content</c>), neighbours (<c>Neighbours</c>), flood search (<c>Search</c>) and, with
    /// <c>Mom:Uri</c>, the message bus (<c>Mom</c>: index events, mom search), all
    /// options validated at startup.
    /// </summary>
    /// <exception cref="OptionsValidationException">Invalid <c>Peer</c> settings.</exception>
    public static WebApplicationBuilder AddPServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var peer = builder.AddValidatedOptions(PeerNodeOptions.SectionName, new PeerNodeOptionsValidator());
        builder.AddServiceDefaults(TelemetryServiceNames.PServer, peer.Id, HousekeepingMethods.Paths);
        builder.AddGrpcEndpoint(peer, [Peer.Descriptor.FullName]);
        builder.Services.AddHealthChecks().AddCheck<ShareHealthCheck>("share", tags: [HealthTags.Ready]);
        builder.Services.AddSingleton<PeerEndpoint>();
        builder.Services.AddSingleton<ILocalPeer>(sp => sp.GetRequiredService<PeerEndpoint>());
        builder.Services.AddContentIndex(builder.Configuration.GetSection(ContentIndexOptions.SectionName));
        builder.Services.AddPeerMesh(builder.Configuration);
        // Admission (docs/security.md): peer tokens verified with the directory's keys; Admission:Required turns it on.
        builder.AddPeerAdmission<DirectoryTokenKeys>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DirectoryTokenKeys>());
        // Per-caller rate limits on Search and ReadChunks (section Limits).
        builder.AddPeerRateLimits();
        // The message bus (index events, mom search), only with Mom:Uri.
        builder.Services.AddMom(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Maps what the PServer serves: the default endpoints (health, reflection) and <c>p2pmesh.v1.Peer</c>, which with
    /// <c>Admission:Required</c> needs a peer token on every method but <c>Ping</c> (docs/security.md, Admission).
    /// </summary>
    /// <returns><paramref name="app"/>.</returns>
    public static WebApplication MapPServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapDefaultEndpoints();
        app.UseRateLimiter();
        app.MapGrpcService<PeerService>().RequireAdmission(app.Services);
        return app;
    }
}

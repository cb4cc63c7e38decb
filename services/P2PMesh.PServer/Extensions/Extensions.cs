using Microsoft.Extensions.Options;
using P2PMesh.Core;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.Grpc;
using P2PMesh.PServer.Grpc;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.PServer.Extensions;

/// <summary>The PServer's wiring, shared by Program.cs and the tests.</summary>
public static class Extensions
{
    /// <summary>
    /// Adds the PServer: its plaintext HTTP/2 gRPC endpoint on <see cref="PeerNodeOptions.ListenAddress"/>:<see cref="PeerNodeOptions.GrpcPort"/>,
    /// the content index of the share (section <c>Content</c>), neighbours (<c>Neighbours</c>) and flood
    /// search (<c>Search</c>), all options validated at startup, and OpenTelemetry export when an
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (<c>service.name</c> <c>p2pmesh-pserver</c>,
    /// <c>service.instance.id</c> = <see cref="PeerNodeOptions.Id"/>).
    /// </summary>
    /// <exception cref="OptionsValidationException">Invalid <c>Peer</c> settings.</exception>
    public static WebApplicationBuilder AddPServer(this WebApplicationBuilder builder)
    {
        var peer = builder.AddValidatedOptions(PeerNodeOptions.SectionName, new DataAnnotationValidateOptions<PeerNodeOptions>(null));
        builder.AddGrpcEndpoint(peer);
        builder.AddTelemetry(TelemetryServiceNames.PServer, peer.Id, PeerMethods.Housekeeping);
        builder.Services.AddSingleton<PeerEndpoint>();
        builder.Services.AddSingleton<ILocalPeer>(sp => sp.GetRequiredService<PeerEndpoint>());
        builder.Services.AddContentIndex(builder.Configuration.GetSection(ContentIndexOptions.SectionName));
        builder.Services.AddPeerMesh(builder.Configuration);
        return builder;
    }

    /// <summary>Maps <c>p2pmesh.v1.Peer</c>, <c>grpc.health.v1.Health</c> and server reflection.</summary>
    public static WebApplication MapPServer(this WebApplication app)
    {
        app.MapGrpcService<PeerService>();
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        return app;
    }
}

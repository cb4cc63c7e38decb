using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Grpc;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.Core.Peers;
using P2PMesh.Grpc;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.Bootstrap.Extensions;

/// <summary>The Bootstrap's wiring, shared by Program.cs and the tests.</summary>
public static class Extensions
{
    /// <summary>
    /// Adds the Bootstrap: its plaintext HTTP/2 gRPC endpoint on
    /// <see cref="BootstrapOptions.ListenAddress"/>:<see cref="BootstrapOptions.GrpcPort"/>, the
    /// <see cref="PeerRegistry"/> and its expiry sweep, with <see cref="BootstrapOptions"/> (section
    /// <c>Bootstrap</c>) validated at once and again at startup. Time comes from the registered
    /// <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/> unless one was added before).
    /// </summary>
    /// <exception cref="OptionsValidationException">Invalid <c>Bootstrap</c> settings.</exception>
    public static WebApplicationBuilder AddBootstrap(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.AddValidatedOptions(BootstrapOptions.SectionName, new BootstrapOptionsValidator());
        builder.AddGrpcEndpoint(settings);
        // Its own methods are among the mesh's housekeeping (PeerMethods.Housekeeping), which every service names alike.
        builder.AddTelemetry(TelemetryServiceNames.Bootstrap, Environment.MachineName, PeerMethods.Housekeeping);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PeerRegistry>();
        builder.Services.AddHostedService<PeerExpirySweeper>();
        return builder;
    }

    /// <summary>Maps <c>p2pmesh.v1.Bootstrap</c>, <c>grpc.health.v1.Health</c> and server reflection.</summary>
    public static WebApplication MapBootstrap(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<BootstrapService>();
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        return app;
    }
}

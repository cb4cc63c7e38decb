using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Grpc;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.Grpc;

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
        builder.Services.AddOptionsWithValidateOnStart<BootstrapOptions, BootstrapOptionsValidator>()
            .BindConfiguration(BootstrapOptions.SectionName);
        // The endpoint is configured before the host starts, so validate the settings now rather than
        // let Kestrel fail on them with a less helpful message.
        var settings = builder.Configuration.GetSection(BootstrapOptions.SectionName).Get<BootstrapOptions>() ?? new BootstrapOptions();
        var validation = new BootstrapOptionsValidator().Validate(Options.DefaultName, settings);
        if (validation.Failed)
        {
            throw new OptionsValidationException(BootstrapOptions.SectionName, typeof(BootstrapOptions), validation.Failures);
        }
        var listenAddress = IPAddress.Parse(settings.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenGrpcPlaintext(listenAddress, settings.GrpcPort));

        builder.Services.AddMeshGrpc();
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

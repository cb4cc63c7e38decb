using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Directory;
using P2PMesh.Bootstrap.Grpc;
using P2PMesh.Bootstrap.Directory.Bus;
using P2PMesh.Bootstrap.Health;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Admission;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Extensions;

/// <summary>The Bootstrap's own wiring, shared by Program.cs and the tests.</summary>
public static class Extensions
{
    /// <summary>The gRPC services the Bootstrap serves (health and reflection name them too): <c>p2pmesh.v1.Bootstrap</c> and <c>p2pmesh.v1.PeerDirectory</c>.</summary>
    public static IReadOnlyList<string> ServedServices { get; } = [V1.Bootstrap.Descriptor.FullName, PeerDirectory.Descriptor.FullName];

    /// <summary>
    /// Adds the <see cref="PeerRegistry"/>, its expiry sweep and its readiness (<see cref="JoinsHealthCheck"/>), with <see cref="BootstrapOptions"/> (section
    /// <c>Bootstrap</c>) validated at once and again at startup, and the directory (docs/architecture.md, Directory):
    /// <see cref="DirectoryIndex"/> with its <see cref="DirectoryStore"/> and <see cref="PeerSecrets"/>, also as the
    /// <see cref="IIndexEventSink"/>, with <see cref="DirectoryOptions"/> (section <c>Directory</c>) validated likewise.
    /// Returns the <c>Bootstrap</c> settings (the gRPC endpoint's).
    /// Time comes from the registered <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/> unless one was
    /// added before).
    /// </summary>
    /// <exception cref="OptionsValidationException">Invalid <c>Bootstrap</c> or <c>Directory</c> settings.</exception>
    public static BootstrapOptions AddBootstrap(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.AddValidatedOptions(BootstrapOptions.SectionName, new BootstrapOptionsValidator());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PeerRegistry>();
        builder.Services.AddHostedService<PeerExpirySweeper>();
        builder.Services.AddHealthChecks().AddCheck<JoinsHealthCheck>("joins", tags: [HealthTags.Ready]);
        builder.AddValidatedOptions(DirectoryOptions.SectionName, new DirectoryOptionsValidator());
        builder.Services.AddSingleton<DirectoryStore>();
        builder.Services.AddSingleton<PeerSecrets>();
        // Peer tokens: this directory signs them (PeerTokenIssuer) and, with Admission:Required, requires them.
        builder.AddPeerAdmission<PeerTokenIssuer>();
        builder.Services.AddSingleton<DirectoryIndex>();
        builder.Services.AddSingleton<IIndexEventSink>(sp => sp.GetRequiredService<DirectoryIndex>());
        // With Mom:Uri, index events from the bus are applied to the directory's IIndexEventSink.
        builder.Services.AddIndexEventConsumer(builder.Configuration);
        return settings;
    }

    /// <summary>
    /// Maps <see cref="BootstrapService"/> and <see cref="PeerDirectoryService"/> and loads the directory's database now,
    /// before the host serves (so restored peers are known to the first heartbeat).
    /// </summary>
    public static WebApplication MapBootstrap(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<DirectoryIndex>();
        app.MapGrpcService<BootstrapService>().RequireAdmission(app.Services);
        app.MapGrpcService<PeerDirectoryService>().RequireAdmission(app.Services);
        return app;
    }
}

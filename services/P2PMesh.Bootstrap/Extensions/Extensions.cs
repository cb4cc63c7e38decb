using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Directory.Bus;
using P2PMesh.Bootstrap.Health;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Health;

namespace P2PMesh.Bootstrap.Extensions;

/// <summary>The Bootstrap's own wiring, shared by Program.cs and the tests.</summary>
public static class Extensions
{
    /// <summary>
    /// Adds the <see cref="PeerRegistry"/>, its expiry sweep and its readiness (<see cref="JoinsHealthCheck"/>), with <see cref="BootstrapOptions"/> (section
    /// <c>Bootstrap</c>) validated at once and again at startup, and returns those settings (the gRPC endpoint's).
    /// Time comes from the registered <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/> unless one was
    /// added before).
    /// </summary>
    /// <exception cref="OptionsValidationException">Invalid <c>Bootstrap</c> settings.</exception>
    public static BootstrapOptions AddBootstrap(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.AddValidatedOptions(BootstrapOptions.SectionName, new BootstrapOptionsValidator());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PeerRegistry>();
        builder.Services.AddHostedService<PeerExpirySweeper>();
        builder.Services.AddHealthChecks().AddCheck<JoinsHealthCheck>("joins", tags: [HealthTags.Ready]);
        // With Mom:Uri, index events from the bus are applied to the directory's IIndexEventSink.
        builder.Services.AddIndexEventConsumer(builder.Configuration);
        return settings;
    }
}

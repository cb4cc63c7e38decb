using OpenTelemetry.Trace;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// The sampler that <c>OTEL_TRACES_SAMPLER</c> / <c>OTEL_TRACES_SAMPLER_ARG</c> name, built as the OpenTelemetry .NET
/// SDK builds it when no sampler is set in code (<c>TracerProviderSdk.GetSampler</c>), per the "Environment Variable
/// Specification" (<see href="https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration"/>).
/// Built here because the SDK ignores those variables once <c>SetSampler</c> is called, and
/// <see cref="HousekeepingSampler"/> has to be set that way, around this one.
/// </summary>
internal static class ConfiguredSampler
{
    /// <summary>The sampler named by <see cref="OtlpSettings.TracesSampler"/> (already checked by <see cref="OtlpSettings.Read"/>).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="OtlpSettings.Samplers"/>.</exception>
    public static Sampler Create(OtlpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.TracesSampler switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(settings.TracesSamplerRatio),
            "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TracesSamplerRatio)),
            var other => throw new ArgumentException($"Unknown sampler '{other}'.", nameof(settings)),
        };
    }
}

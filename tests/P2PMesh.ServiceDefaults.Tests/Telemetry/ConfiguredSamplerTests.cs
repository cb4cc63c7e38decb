using Microsoft.Extensions.Configuration;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary><see cref="ConfiguredSampler"/>: the sampler <c>OTEL_TRACES_SAMPLER</c> / <c>_ARG</c> name, as the OpenTelemetry SDK builds it.</summary>
public sealed class ConfiguredSamplerTests
{
    [Theory]
    [InlineData(null, null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("always_on", null, "AlwaysOnSampler")]
    [InlineData("always_off", null, "AlwaysOffSampler")]
    [InlineData("traceidratio", null, "TraceIdRatioBasedSampler{1.000000}")]
    [InlineData("traceidratio", "0.25", "TraceIdRatioBasedSampler{0.250000}")]
    [InlineData("parentbased_always_on", "ignored", "ParentBased{AlwaysOnSampler}")]
    [InlineData("parentbased_always_off", null, "ParentBased{AlwaysOffSampler}")]
    [InlineData("parentbased_traceidratio", "0.1", "ParentBased{TraceIdRatioBasedSampler{0.100000}}")]
    public void Create_FromSettings_TheSamplerTheVariablesName(string? sampler, string? argument, string description)
    {
        // Arrange
        var configuration = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4317" };
        if (sampler is not null)
        {
            configuration["OTEL_TRACES_SAMPLER"] = sampler;
        }
        if (argument is not null)
        {
            configuration["OTEL_TRACES_SAMPLER_ARG"] = argument;
        }
        var settings = OtlpSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());

        // Act
        var created = ConfiguredSampler.Create(settings);

        // Assert
        Assert.Equal(description, created.Description);
    }
}

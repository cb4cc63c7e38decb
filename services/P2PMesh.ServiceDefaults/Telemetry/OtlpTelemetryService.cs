using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Owns one host's OpenTelemetry <see cref="TracerProvider"/> and <see cref="MeterProvider"/>, tied to
/// the host's lifetime: built when the host is starting (before any hosted service starts, so the first
/// request is traced), flushed and shut down when the host has stopped (after Kestrel drained its
/// requests, so their spans and the final metrics go out). Exports over OTLP to
/// <see cref="OtlpSettings"/>; keeps only this host's spans and instruments (<see cref="HostTelemetryScope"/>).
/// </summary>
/// <remarks>
/// Traced sources: <c>P2PMesh.*</c>, <c>Microsoft.AspNetCore</c> and <c>System.Net.Http</c>. Metered:
/// <c>P2PMesh</c>, <c>Microsoft.AspNetCore.Hosting</c> and <c>Microsoft.AspNetCore.Server.Kestrel</c>.
/// The sampler comes from <c>OTEL_TRACES_SAMPLER</c> / <c>OTEL_TRACES_SAMPLER_ARG</c> (always_on,
/// always_off, traceidratio, parentbased_always_on (the default), parentbased_always_off,
/// parentbased_traceidratio), read from the host's configuration by <see cref="OtlpSettings.Read"/> and built
/// as the OpenTelemetry SDK would build it (<see cref="ConfiguredSampler"/>), but it is asked only after
/// housekeeping calls were kept out: they never start a trace (<see cref="HousekeepingCalls"/>,
/// <see cref="HousekeepingSampler"/>). With several hosts in one process (tests only), .NET samples each
/// activity once for every listener of its source, keeping the most permissive decision: a host's spans
/// may then be recorded by another host's sampler (which is why every service names the same housekeeping methods).
/// One host per process, as deployed, is exact.
/// </remarks>
public sealed class OtlpTelemetryService : IHostedLifecycleService, IDisposable
{
    /// <summary>The activity sources traced (wildcards as the OpenTelemetry SDK's <c>AddSource</c> takes them).</summary>
    public static IReadOnlyList<string> ActivitySources { get; } = ["P2PMesh.*", "Microsoft.AspNetCore", HostTelemetryScope.HttpClientSourceName];

    /// <summary>The meters exported.</summary>
    public static IReadOnlyList<string> Meters { get; } = ["P2PMesh", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    private readonly IServiceProvider _services;
    private readonly IConfiguration _configuration;
    private readonly TelemetryIdentity _identity;
    private readonly HousekeepingCalls _housekeeping;
    private readonly Lock _lock = new();
    private TracerProvider? _tracerProvider;
    private MeterProvider? _meterProvider;

    /// <summary>
    /// Creates the (not yet built) providers of the host whose root services are <paramref name="services"/>, whose
    /// housekeeping calls (<paramref name="housekeeping"/>) start no trace.
    /// </summary>
    public OtlpTelemetryService(IServiceProvider services, IConfiguration configuration, TelemetryIdentity identity, HousekeepingCalls housekeeping)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(housekeeping);
        _services = services;
        _configuration = configuration;
        _identity = identity;
        _housekeeping = housekeeping;
    }

    /// <summary>The settings in force.</summary>
    public OtlpSettings Settings => _identity.Settings;

    /// <summary>The tracer provider once started; <c>null</c> before, after stopping, or with no traces endpoint.</summary>
    public TracerProvider? TracerProvider => _tracerProvider;

    /// <summary>The meter provider once started; <c>null</c> before, after stopping, or with no metrics endpoint.</summary>
    public MeterProvider? MeterProvider => _meterProvider;

    /// <summary>Builds the providers.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var scope = new HostTelemetryScope(_services);
        lock (_lock)
        {
            if (Settings.TracesEndpoint is { } traces && _tracerProvider is null)
            {
                var export = new BatchActivityExportProcessor(
                    new OtlpTraceExporter(traces.ToExporterOptions()), scheduledDelayMilliseconds: Settings.SpanScheduleDelayMilliseconds);
                _tracerProvider = Sdk.CreateTracerProviderBuilder()
                    .ConfigureServices(s => s.AddSingleton(_configuration))
                    .ConfigureResource(r => TelemetryResource.Configure(r, _configuration, _identity.ServiceName, _identity.ServiceInstanceId))
                    .AddSource([.. ActivitySources])
                    .SetSampler(new HousekeepingSampler(ConfiguredSampler.Create(Settings), _housekeeping))
                    .AddProcessor(new HostActivityFilterProcessor(scope, export))
                    .Build();
            }
            if (Settings.MetricsEndpoint is { } metrics && _meterProvider is null)
            {
                var reader = new PeriodicExportingMetricReader(new OtlpMetricExporter(metrics.ToExporterOptions()), Settings.MetricExportIntervalMilliseconds)
                {
                    TemporalityPreference = MetricReaderTemporalityPreference.Cumulative,
                };
                _meterProvider = Sdk.CreateMeterProviderBuilder()
                    .ConfigureServices(s => s.AddSingleton(_configuration))
                    .ConfigureResource(r => TelemetryResource.Configure(r, _configuration, _identity.ServiceName, _identity.ServiceInstanceId))
                    .AddMeter([.. Meters])
                    .AddView(instrument => scope.Owns(instrument) ? null : MetricStreamConfiguration.Drop)
                    .AddReader(reader)
                    .Build();
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Flushes what is left (spans in the batch, a final metrics collection) and shuts the providers down.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Shuts the providers down (each exports what it holds first); idempotent.</summary>
    public void Dispose()
    {
        TracerProvider? tracer;
        MeterProvider? meter;
        lock (_lock)
        {
            (tracer, _tracerProvider) = (_tracerProvider, null);
            (meter, _meterProvider) = (_meterProvider, null);
        }
        tracer?.Dispose();
        meter?.Dispose();
    }
}

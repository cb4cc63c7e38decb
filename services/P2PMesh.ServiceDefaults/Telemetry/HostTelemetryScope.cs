using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Decides which activities and instruments belong to one host, when several hosts share a process
/// (tests run ten peers in one) while activity and meter listeners are process-wide and match by name.
/// A host owns:
/// <list type="bullet">
/// <item>activities of its own <see cref="ActivitySource"/> instances: a source registered in its DI
/// container as a keyed singleton under its own name (the convention of <c>GrpcTelemetry</c> and
/// <c>MeshActivitySources</c>), or ASP.NET Core's <c>Microsoft.AspNetCore</c> source, which the web host
/// registers per host as the unkeyed <see cref="ActivitySource"/> singleton;</item>
/// <item><c>System.Net.Http</c> activities (one static source for the whole process) whose in-process
/// parent is an activity the host owns; others are ambiguous and left out;</item>
/// <item>instruments of meters created by its own <see cref="IMeterFactory"/> (<see cref="Meter.Scope"/>);
/// meters created without a factory (static ones, e.g. <c>System.Net.Http</c>'s) are left out.</item>
/// </list>
/// With one host per process (production) this keeps exactly what the host emits.
/// </summary>
public sealed class HostTelemetryScope
{
    /// <summary>The name of HttpClient's built-in (process-wide) activity source.</summary>
    public const string HttpClientSourceName = "System.Net.Http";

    private readonly IServiceProvider _services;
    private readonly IMeterFactory _meterFactory;
    private readonly ConcurrentDictionary<ActivitySource, bool> _sources = new();

    /// <summary>The scope of the host whose root services are <paramref name="services"/>.</summary>
    public HostTelemetryScope(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _meterFactory = services.GetRequiredService<IMeterFactory>();
        // Resolve the ASP.NET Core source now: later lookups may race the container's disposal.
        if (services.GetService<ActivitySource>() is { } aspNetCore)
        {
            _sources[aspNetCore] = true;
        }
    }

    /// <summary>Whether <paramref name="activity"/> was created by this host.</summary>
    public bool Owns(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Source.Name == HttpClientSourceName)
        {
            return activity.Parent is { } parent && parent.Source.Name != HttpClientSourceName && Owns(parent.Source);
        }
        return Owns(activity.Source);
    }

    /// <summary>Whether <paramref name="source"/> is one of this host's activity sources.</summary>
    public bool Owns(ActivitySource source) => _sources.GetOrAdd(source, static (s, self) => self.IsOwnKeyedSource(s), this);

    /// <summary>Whether <paramref name="instrument"/>'s meter was created by this host's <see cref="IMeterFactory"/>.</summary>
    public bool Owns(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return ReferenceEquals(instrument.Meter.Scope, _meterFactory);
    }

    private bool IsOwnKeyedSource(ActivitySource source)
    {
        try
        {
            return ReferenceEquals(_services.GetKeyedService<ActivitySource>(source.Name), source);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // Registered under that key as another type: not one of ours.
            return false;
        }
    }
}

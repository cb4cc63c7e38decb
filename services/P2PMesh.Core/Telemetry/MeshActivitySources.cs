using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace P2PMesh.Core.Telemetry;

/// <summary>
/// The mesh's own <see cref="ActivitySource"/>s.
/// Each host has its own instances, registered as keyed singletons under their names and disposed with it
/// (docs/architecture.md, Observability).
/// </summary>
public static class MeshActivitySources
{
    /// <summary>Flood search spans: <c>P2PMesh.Search</c> (the search a PClient-API starts).</summary>
    public const string Search = "P2PMesh.Search";

    /// <summary>Transfer spans: <c>P2PMesh.Transfers</c> (a download, with its bytes and sources).</summary>
    public const string Transfers = "P2PMesh.Transfers";

    /// <summary>Every name above.</summary>
    public static IReadOnlyList<string> All { get; } = [Search, Transfers];

    /// <summary>
    /// Registers this host's <see cref="Search"/> and <see cref="Transfers"/> sources (keyed singletons,
    /// key = name, disposed with the host). Idempotent.
    /// </summary>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMeshActivitySources(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var version = typeof(MeshActivitySources).Assembly.GetName().Version?.ToString();
        foreach (var name in All)
        {
            services.TryAddKeyedSingleton(name, (_, _) => new ActivitySource(name, version));
        }
        return services;
    }
}

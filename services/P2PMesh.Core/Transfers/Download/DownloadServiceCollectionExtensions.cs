using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Telemetry;

namespace P2PMesh.Core.Transfers.Download;

/// <summary>Registers the download engine (docs/architecture.md, Transfers).</summary>
public static class DownloadServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DownloadManager"/> (a singleton) and <see cref="DownloadOptions"/> bound from the
    /// <c>Downloads</c> section of <paramref name="configuration"/>, validated by
    /// <see cref="DownloadOptionsValidator"/> when the host starts. Also adds <see cref="PeerChannelPool"/>
    /// and <see cref="TimeProvider.System"/> unless already registered, and the host's <see cref="MeshMetrics"/>
    /// and activity sources (<see cref="MeshActivitySources"/>). The host must register the
    /// content index (<see cref="Content.ContentServiceCollectionExtensions"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root (the <c>Downloads</c> section is read from it).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddDownloads(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DownloadOptions>().Bind(configuration.GetSection(DownloadOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DownloadOptions>, DownloadOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddMeshActivitySources();
        services.TryAddSingleton<MeshMetrics>();
        services.TryAddSingleton<PeerChannelPool>();
        services.TryAddSingleton<DownloadManager>();
        return services;
    }
}

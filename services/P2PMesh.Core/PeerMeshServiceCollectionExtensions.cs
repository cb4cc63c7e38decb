using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Search;
using P2PMesh.Core.Telemetry;
using P2PMesh.Core.Transfers;

namespace P2PMesh.Core;

/// <summary>Registers the peer's overlay: neighbours, their maintenance, the flood engine, and transfers.</summary>
public static class PeerMeshServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NeighbourTable"/>, <see cref="MeshClient"/>, <see cref="MeshMaintainer"/>, <see cref="DirectoryAgent"/> and <see cref="PeerChannelSweeper"/> (hosted
    /// services), <see cref="SeenQueryCache"/>, <see cref="FloodEngine"/>, <see cref="OriginSearch"/> (the search modes; it
    /// takes an <see cref="Bus.IMomSearch"/> when one is registered), <see cref="ChunkServer"/> and
    /// <see cref="UploadReceiver"/>, with <see cref="NeighbourOptions"/>, <see cref="FloodOptions"/>, <see cref="DirectoryClientOptions"/>
    /// and <see cref="TransferOptions"/> bound from <paramref name="configuration"/> and validated at startup.
    /// The host must also register an <see cref="ILocalPeer"/> and the content index. Telemetry: the
    /// host's <see cref="MeshMetrics"/> and <see cref="MeshGauges"/>, and its keyed activity sources
    /// (<see cref="MeshActivitySources"/>).
    /// </summary>
    public static IServiceCollection AddPeerMesh(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<NeighbourOptions, NeighbourOptionsValidator>().Bind(configuration.GetSection(NeighbourOptions.SectionName));
        services.AddOptionsWithValidateOnStart<DirectoryClientOptions, DirectoryClientOptionsValidator>().Bind(configuration.GetSection(DirectoryClientOptions.SectionName));
        services.AddOptionsWithValidateOnStart<FloodOptions, FloodOptionsValidator>().Bind(configuration.GetSection(FloodOptions.SectionName));
        services.AddOptionsWithValidateOnStart<TransferOptions, TransferOptionsValidator>().Bind(configuration.GetSection(TransferOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddMeshActivitySources();
        services.TryAddSingleton<MeshMetrics>();
        services.TryAddSingleton<NeighbourTable>();
        services.TryAddSingleton<PeerTokenHolder>();
        services.TryAddSingleton<IPeerTokenSubject, LocalPeerTokenSubject>();
        services.TryAddSingleton<PeerChannelPool>();
        services.TryAddSingleton<MeshClient>();
        services.TryAddSingleton<SeenQueryCache>();
        services.TryAddSingleton<FloodEngine>();
        services.TryAddSingleton<OriginSearch>();
        services.TryAddSingleton<ServeRateLimiter>();
        services.TryAddSingleton<ChunkServer>();
        services.TryAddSingleton<SpaceReservations>();
        services.TryAddSingleton<UploadSourcePolicy>();
        services.TryAddSingleton<UploadReceiver>();
        services.AddHostedService<StaleUploadCleanup>();
        services.AddHostedService<PeerTokenSource>();
        services.AddHostedService<MeshMaintainer>();
        services.AddHostedService<DirectoryAgent>();
        services.AddHostedService<PeerChannelSweeper>();
        services.AddHostedService<MeshGauges>();
        return services;
    }
}

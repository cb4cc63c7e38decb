using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Search;
using P2PMesh.Core.Telemetry;
using P2PMesh.Core.Transfers;
using P2PMesh.Grpc;

namespace P2PMesh.Core;

/// <summary>Registers the peer's overlay: neighbours, their maintenance, the flood engine, and transfers.</summary>
public static class PeerMeshServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NeighbourTable"/>, <see cref="PeerClient"/>, <see cref="MeshMaintainer"/> (a hosted
    /// service), <see cref="SeenQueryCache"/>, <see cref="FloodEngine"/>, <see cref="ChunkServer"/> and
    /// <see cref="UploadReceiver"/> and the <see cref="Transfers.Download.DownloadManager"/>, with
    /// <see cref="NeighbourOptions"/>, <see cref="FloodOptions"/>, <see cref="TransferOptions"/> and
    /// <see cref="Transfers.Download.DownloadOptions"/> bound from <paramref name="configuration"/> and validated at startup.
    /// The host must also register an <see cref="ILocalPeer"/> and the content index. Telemetry: the
    /// host's <see cref="MeshMetrics"/> and <see cref="MeshGauges"/>, and its keyed activity sources
    /// (<see cref="MeshActivitySources"/>, <see cref="GrpcTelemetry"/>).
    /// </summary>
    public static IServiceCollection AddPeerMesh(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NeighbourOptions>().Bind(configuration.GetSection(NeighbourOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FloodOptions>().Bind(configuration.GetSection(FloodOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TransferOptions>().Bind(configuration.GetSection(TransferOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddGrpcTelemetry();
        services.AddMeshActivitySources();
        services.TryAddSingleton<MeshMetrics>();
        services.TryAddSingleton<NeighbourTable>();
        services.TryAddSingleton<PeerChannelPool>();
        services.TryAddSingleton<PeerClient>();
        services.TryAddSingleton<SeenQueryCache>();
        services.TryAddSingleton<FloodEngine>();
        services.TryAddSingleton<ChunkServer>();
        services.TryAddSingleton<UploadReceiver>();
        Transfers.Download.DownloadServiceCollectionExtensions.AddDownloads(services, configuration);
        services.AddHostedService<MeshMaintainer>();
        services.AddHostedService<MeshGauges>();
        return services;
    }
}

using Microsoft.Extensions.Hosting;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;

namespace P2PMesh.Core.Telemetry;

/// <summary>
/// Publishes the peer's observable gauges on this host's mesh meter while the host runs:
/// <see cref="MeshInstrumentNames.Neighbours"/>, <see cref="MeshInstrumentNames.IndexFiles"/> and
/// <see cref="MeshInstrumentNames.IndexSize"/>, read when a listener collects.
/// </summary>
public sealed class MeshGauges(MeshMetrics metrics, NeighbourTable neighbours, ContentIndex index) : IHostedService
{
    private bool _created;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            _created = true;
            var meter = metrics.Meter;
            meter.CreateObservableGauge(MeshInstrumentNames.Neighbours, () => neighbours.Count, "{peer}", "Neighbours of this peer.");
            meter.CreateObservableGauge(MeshInstrumentNames.IndexFiles, () => index.Count, "{file}", "Files in this peer's content index.");
            meter.CreateObservableGauge(MeshInstrumentNames.IndexSize, () => index.TotalBytes, "By", "Total size of the files in this peer's content index.");
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

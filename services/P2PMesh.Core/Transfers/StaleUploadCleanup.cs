using Microsoft.Extensions.Hosting;

namespace P2PMesh.Core.Transfers;

/// <summary>
/// Removes at start the temporary files of uploads a previous run of this PServer did not finish (killed mid-upload),
/// before the gRPC endpoint accepts new ones (<see cref="UploadReceiver.RemoveStaleTemporaryFiles"/>).
/// </summary>
public sealed class StaleUploadCleanup(UploadReceiver uploads) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        uploads.RemoveStaleTemporaryFiles();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

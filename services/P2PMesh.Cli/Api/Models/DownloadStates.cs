namespace P2PMesh.Cli.Api.Models;

/// <summary>The values of <see cref="DownloadStatus.State"/>.</summary>
internal static class DownloadStates
{
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

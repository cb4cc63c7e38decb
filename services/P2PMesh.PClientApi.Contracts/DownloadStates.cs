namespace P2PMesh.PClientApi.Contracts;

/// <summary>The values of <see cref="DownloadStatus.State"/>, in the order a job goes through them.</summary>
/// <remarks>README.md, Transfers: a job fetches and verifies chunks (running), hashes the whole file once more
/// (verifying) and renames it into the share (completed); it fails or is cancelled
/// (<c>DELETE /api/downloads/{id}</c>) otherwise.</remarks>
public static class DownloadStates
{
    /// <summary>Accepted, not started yet.</summary>
    public const string Pending = "pending";

    /// <summary>Fetching and verifying chunks.</summary>
    public const string Running = "running";

    /// <summary>Every chunk is on disk; the whole file is being hashed.</summary>
    public const string Verifying = "verifying";

    /// <summary>Verified and in the share (<see cref="DownloadStatus.FileName"/>).</summary>
    public const string Completed = "completed";

    /// <summary>Given up (<see cref="DownloadStatus.Error"/> says why); a later start resumes.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled; a later start resumes.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Whether a job in <paramref name="state"/> will not change any more: completed, failed or cancelled.</summary>
    public static bool IsFinished(string state) => state is Completed or Failed or Cancelled;
}

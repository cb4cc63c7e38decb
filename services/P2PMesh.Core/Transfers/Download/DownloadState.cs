namespace P2PMesh.Core.Transfers.Download;

/// <summary>Where a <see cref="DownloadJob"/> is in its life. The last three are final.</summary>
public enum DownloadState
{
    /// <summary>Created; not started yet.</summary>
    Pending,

    /// <summary>Getting a manifest, checking what is already on disk, and fetching chunks.</summary>
    Running,

    /// <summary>Every chunk is on disk; hashing the whole file and moving it into the share.</summary>
    Verifying,

    /// <summary>The file is in the share under <see cref="DownloadProgress.FileName"/> and indexed.</summary>
    Completed,

    /// <summary>
    /// Stopped (see <see cref="DownloadProgress.Error"/>); no file was added to the share. The part file
    /// and state are kept if any chunk was completed, so starting again (with other sources) resumes.
    /// </summary>
    Failed,

    /// <summary>Cancelled; the part file and state are kept, so starting the same hash again resumes.</summary>
    Cancelled,
}

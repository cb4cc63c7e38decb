namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// The lock a running <c>p2pmesh up</c> holds on its <c>--dir</c> (<see cref="MeshDirectory.TryLockAsync"/>): an OS
/// lock on <c>run/up.lock</c> (flock(2) LOCK_EX on Unix, a FileShare.None handle on Windows), which the OS
/// releases when the process ends however it ends, so a crashed mesh never blocks the next one.
/// <see cref="Dispose"/> deletes the owner record (<c>run/up.pid</c>) first, then releases the lock; the lock file
/// itself stays (deleting it would let two processes lock two different files of one name).
/// </summary>
internal sealed class MeshDirectoryLock(FileStream handle, string pidFile) : IDisposable
{
    private bool _disposed;

    /// <summary>Releases the directory: the owner record is removed, then the lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            File.Delete(pidFile);
        }
        catch (IOException)
        {
            // A stale record is harmless: the lock, not the record, says whether a mesh runs.
        }
        handle.Dispose();
    }
}

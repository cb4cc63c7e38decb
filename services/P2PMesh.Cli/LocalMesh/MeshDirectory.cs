using System.Globalization;
using System.Text.Json;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// The <c>--dir</c> of a local mesh (default <c>.p2pmesh</c>) and the files by which <c>up</c>, <c>ps</c> and
/// <c>down</c> find each other there: <c>run/up.lock</c>, locked by the running <c>up</c>
/// (<see cref="MeshDirectoryLock"/>), and <c>run/up.pid</c>, its pid and state file (<see cref="MeshOwner"/>).
/// The lock, not the record, says whether a mesh runs: a record without a lock is the stale state of an
/// <c>up</c> that died. See services/P2PMesh.Cli/README.md, <c>up</c>, One mesh per directory.
/// </summary>
internal sealed class MeshDirectory
{
    private const int LockAttempts = 20;
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <param name="path">The directory, relative to the current directory or absolute.</param>
    public MeshDirectory(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary><c>&lt;dir&gt;/mesh.json</c>: where <c>up</c> writes its state unless <c>--state</c> says otherwise.</summary>
    public string DefaultStateFile => System.IO.Path.Combine(Path, "mesh.json");

    /// <summary><c>&lt;dir&gt;/run</c>: the lock, the owner record and the watchdog's pid lists.</summary>
    public string RunDirectory => System.IO.Path.Combine(Path, "run");

    /// <summary><c>&lt;dir&gt;/run/up.lock</c>: locked while an <c>up</c> runs here; never deleted.</summary>
    public string LockFile => System.IO.Path.Combine(RunDirectory, "up.lock");

    /// <summary><c>&lt;dir&gt;/run/up.pid</c>: two lines, the pid of <c>up</c> and the full path of its state file.</summary>
    public string PidFile => System.IO.Path.Combine(RunDirectory, "up.pid");

    /// <summary>
    /// Locks the directory for this process and records it (pid, <paramref name="stateFile"/>) as the owner;
    /// <c>null</c> when another <c>up</c> holds it (<see cref="ReadOwner"/> then names it). A lock that is held
    /// but names no live owner (a <c>ps</c> or <c>down</c> looking, or an <c>up</c> that has only just locked it) is
    /// tried again for about a second.
    /// </summary>
    public async Task<MeshDirectoryLock?> TryLockAsync(string stateFile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(RunDirectory);
        for (var attempt = 1; ; attempt++)
        {
            FileStream handle;
            try
            {
                // .NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None on Unix; a held lock throws at once.
                handle = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (attempt == LockAttempts || ReadOwner() is { } owner && owner.Pid != Environment.ProcessId && PosixSignals.IsAlive(owner.Pid))
                {
                    return null;
                }
                await Task.Delay(LockRetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                var temp = $"{PidFile}.{Environment.ProcessId}.tmp";
                await File.WriteAllTextAsync(temp, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n{System.IO.Path.GetFullPath(stateFile)}\n"), cancellationToken)
                    .ConfigureAwait(false);
                File.Move(temp, PidFile, overwrite: true);
            }
            catch
            {
                await handle.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return new MeshDirectoryLock(handle, PidFile);
        }
    }

    /// <summary>Whether an <c>up</c> holds the lock now (probes it: takes and drops it at once when free).</summary>
    public bool IsLocked()
    {
        try
        {
            using var probe = new FileStream(LockFile, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The owner recorded in <see cref="PidFile"/>; <c>null</c> when there is none (or it is unreadable).</summary>
    public MeshOwner? ReadOwner()
    {
        try
        {
            var lines = File.ReadAllLines(PidFile);
            return lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && lines[1].Length > 0
                ? new MeshOwner(pid, lines[1])
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>What the directory holds now: lock, owner record, and the state file the owner names (else the default).</summary>
    public MeshSnapshot Inspect()
    {
        var locked = IsLocked();
        var owner = ReadOwner();
        var stateFile = owner?.StateFile ?? DefaultStateFile;
        MeshState? state;
        try
        {
            state = MeshState.Read(stateFile);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            state = null;
        }
        return new MeshSnapshot(this, locked, owner, stateFile, state);
    }
}

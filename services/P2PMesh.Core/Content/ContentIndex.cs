using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Content.Internal;

namespace P2PMesh.Core.Content;

/// <summary>
/// The content index of the share (docs/architecture.md, Content store): every regular file below
/// <see cref="ContentIndexOptions.ShareDirectory"/> by name, size, SHA-256 and chunk manifest. A DI
/// singleton, thread-safe: reads see an immutable snapshot swapped in whole after each scan.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RescanAsync"/> walks the share and re-hashes only files whose (name, size, last write time)
/// differ from the hash cache, which is persisted under <see cref="StateDirectory"/> so that a restart
/// does not re-hash unchanged files. <see cref="ContentIndexService"/> calls it on file-system changes and
/// periodically.
/// </para>
/// <para>
/// Nothing outside the share is indexed or opened: the state directory is skipped; a symbolic link to a
/// file is indexed under the link's name only if its fully resolved target lies inside the share;
/// symbolic links to directories are never followed (a target inside the share is indexed under its own
/// name anyway). Zero-length entries are indexed without being opened, so FIFOs, sockets and devices,
/// which .NET on Unix reports as zero-length regular files, never block a scan.
/// </para>
/// </remarks>
public sealed partial class ContentIndex
{
    private readonly ContentIndexOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ContentIndex> _logger;
    private readonly string _cachePath;
    private readonly SemaphoreSlim _scanLock = new(1, 1);
    private readonly EnumerationOptions _enumeration = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private volatile IndexSnapshot _snapshot = IndexSnapshot.Empty;
    private Dictionary<string, ContentFile>? _cache;
    private long _version;
    private long _lastScanTicks = -1;
    private int _filesHashed;
    private bool _cacheDirty;

    /// <summary>Creates the index; it stays empty until the first <see cref="RescanAsync"/>.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock used for <see cref="LastScanCompleted"/> and scan timings.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="OptionsValidationException">The options are invalid (<see cref="ContentIndexOptionsValidator"/>).</exception>
    public ContentIndex(IOptions<ContentIndexOptions> options, TimeProvider timeProvider, ILogger<ContentIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        var validation = new ContentIndexOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ContentIndexOptions), validation.Failures);
        }
        _timeProvider = timeProvider;
        _logger = logger;
        ShareDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.ShareDirectory));
        StateDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(
            string.IsNullOrWhiteSpace(_options.StateDirectory)
                ? Path.Join(ShareDirectory, ContentIndexOptions.DefaultStateDirectoryName)
                : _options.StateDirectory));
        _cachePath = Path.Join(StateDirectory, HashCacheStore.FileName);
    }

    /// <summary>Raised (on the scanning thread, after the new snapshot is visible) when a scan changed the index.</summary>
    public event EventHandler? Changed;

    /// <summary>The absolute path of the share, as configured.</summary>
    public string ShareDirectory { get; }

    /// <summary>The absolute path of the state directory holding the hash cache.</summary>
    public string StateDirectory { get; }

    /// <summary>The indexed files, sorted by <see cref="ContentFile.Name"/> (ordinal); a snapshot that later scans do not change.</summary>
    public IReadOnlyCollection<ContentFile> Files => _snapshot.Files;

    /// <summary>How many files are indexed.</summary>
    public int Count => _snapshot.Sorted.Length;

    /// <summary>The sum of the indexed files' sizes, in bytes.</summary>
    public long TotalBytes => _snapshot.TotalBytes;

    /// <summary>Starts at 0 and grows by one each time a scan changes the index.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>When the last scan finished (by the injected <see cref="TimeProvider"/>); <c>null</c> before the first.</summary>
    public DateTimeOffset? LastScanCompleted =>
        Interlocked.Read(ref _lastScanTicks) is var ticks and >= 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>How many times this instance has hashed a file rather than reuse the hash cache; for tests.</summary>
    internal int FilesHashed => Volatile.Read(ref _filesHashed);

    /// <summary>The chunk size of the manifests this index builds (<see cref="ContentIndexOptions.ChunkSize"/>).</summary>
    internal int ChunkSize => _options.ChunkSize;

    /// <summary>The files matching <paramref name="pattern"/>, sorted by name. A hash pattern is a dictionary look-up.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <c>null</c>.</exception>
    public IReadOnlyList<ContentFile> Search(SearchPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var snapshot = _snapshot;
        if (pattern.Sha256 is { } sha256)
        {
            return snapshot.BySha256.TryGetValue(sha256, out var same) ? Array.AsReadOnly(same) : [];
        }
        return Array.FindAll(snapshot.Sorted, pattern.Matches);
    }

    /// <summary>An indexed file whose SHA-256 is <paramref name="sha256"/> (hex, either case).</summary>
    /// <returns>The file (the first by name when several have the same content), or <c>null</c> when none has it or the text is not a hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sha256"/> is <c>null</c>.</exception>
    public ContentFile? FindBySha256(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        return _snapshot.BySha256.TryGetValue(sha256, out var files) ? files[0] : null;
    }

    /// <summary>
    /// Like <see cref="FindBySha256"/>, but on a miss rescans the share once and looks again (a file added
    /// since the last scan, for example by the PServer sharing the same directory).
    /// </summary>
    /// <returns>The file (the first by name when several have the same content), or <c>null</c> when none has it or the text is not a hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sha256"/> is <c>null</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="IOException">The share directory cannot be created or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The share directory cannot be created or read.</exception>
    public async Task<ContentFile?> FindBySha256Async(string sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (FindBySha256(sha256) is { } file)
        {
            return file;
        }
        await RescanAsync(cancellationToken).ConfigureAwait(false);
        return FindBySha256(sha256);
    }

    /// <summary>
    /// The absolute, link-free path of <paramref name="file"/>, if it is still indexed under its name with
    /// its hash and its path, with every link resolved, still lies inside the share and outside the state
    /// directory. Names that are absolute or contain <c>..</c>, <c>.</c> or empty segments are refused.
    /// </summary>
    /// <remarks>
    /// A best-effort check: a link swapped into the path between this check and the open is not caught
    /// (.NET has no <c>openat2(RESOLVE_BENEATH)</c>); <see cref="OpenRead"/> re-checks after opening.
    /// </remarks>
    /// <param name="file">A file from this index (or one built by hand: it is looked up by name and hash).</param>
    /// <param name="fullPath">The path, or <c>null</c> when the method returns <c>false</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is <c>null</c>.</exception>
    public bool TryResolvePath(ContentFile file, [NotNullWhen(true)] out string? fullPath)
    {
        ArgumentNullException.ThrowIfNull(file);
        fullPath = null;
        if (!SharePath.IsValidName(file.Name) ||
            !_snapshot.ByName.TryGetValue(file.Name, out var indexed) ||
            !string.Equals(indexed.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (SharePath.GetRealPath(ShareDirectory) is not { } root ||
            SharePath.GetRealPath(SharePath.Combine(root, file.Name)) is not { } real ||
            !IsAllowed(root, GetExcludedDirectory(root), real) ||
            !File.Exists(real))
        {
            return false;
        }
        fullPath = real;
        return true;
    }

    /// <summary>
    /// Opens <paramref name="file"/> for reading (sharing read, write and delete with others) after
    /// <see cref="TryResolvePath"/>, and checks again once it is open that the path still resolves to
    /// the same place inside the share. The bytes are those on disk now: callers verify chunks against
    /// the manifest.
    /// </summary>
    /// <returns>A stream positioned at 0; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is <c>null</c>.</exception>
    /// <exception cref="FileNotFoundException">
    /// The file is not indexed under that name and hash, has gone, or does not resolve to a path inside
    /// the share (the message does not say which).
    /// </exception>
    /// <exception cref="IOException">The file exists but could not be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The file exists but may not be read.</exception>
    public FileStream OpenRead(ContentFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!TryResolvePath(file, out var path))
        {
            throw NotInShare(file);
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotInShare(file);
        }
        if (!string.Equals(SharePath.GetRealPath(path), path, SharePath.Comparison))
        {
            stream.Dispose();
            throw NotInShare(file);
        }
        return stream;
    }

    /// <summary>
    /// Scans the share now: walks it, hashes new and changed files (in one streaming pass each), drops
    /// removed ones, persists the hash cache if it changed, swaps in the new snapshot and raises
    /// <see cref="Changed"/> if anything changed. Concurrent calls run one after another. Files that
    /// vanish, cannot be read or change while being hashed are left out of this scan (the next one
    /// picks them up) without failing it. Failing to write the cache is logged, not thrown.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the index is unchanged.</exception>
    /// <exception cref="IOException">The share directory cannot be created or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The share directory cannot be created or read.</exception>
    public async Task RescanAsync(CancellationToken cancellationToken = default)
    {
        bool changed;
        await _scanLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            changed = await ScanAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _scanLock.Release();
        }
        if (changed)
        {
            OnChanged();
        }
    }

    /// <summary>
    /// Puts into the hash cache the hashes of a file the caller has just verified and moved into the share,
    /// so that the next scan takes them from the cache instead of reading the file again. It indexes
    /// nothing itself: the scan still decides what is in the share (paths, links, the state directory),
    /// and uses the entry only while the file's size and last write time are the ones given. The caller
    /// reads those from its own handle before its verifying pass; they are compared here with the file
    /// as it is now, after the move, and a file written to since is not recorded (the scan hashes it).
    /// </summary>
    /// <param name="name">The file's <see cref="ContentFile.Name"/>: relative to the share, <c>'/'</c>-separated.</param>
    /// <param name="size">Its length in bytes, as verified.</param>
    /// <param name="lastWriteTimeUtc">Its last write time before the verifying pass.</param>
    /// <param name="sha256">Its SHA-256, lowercase hex.</param>
    /// <param name="chunkHashes">The SHA-256 of each of its <see cref="ChunkSize"/>-byte chunks, lowercase hex: what <see cref="FileHasher"/> gives.</param>
    /// <param name="cancellationToken">Cancels waiting for a running scan.</param>
    /// <returns>Whether the entry was recorded.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid name, or the chunk count does not fit <paramref name="size"/>.</exception>
    internal async Task<bool> RecordVerifiedAsync(
        string name, long size, DateTime lastWriteTimeUtc, string sha256, string[] chunkHashes, CancellationToken cancellationToken)
    {
        if (!SharePath.IsValidName(name) || size < 0 || chunkHashes.Length != (size + ChunkSize - 1) / ChunkSize)
        {
            throw new ArgumentException($"'{name}' ({size} bytes, {chunkHashes.Length} chunks of {ChunkSize}) is not a valid share entry.", nameof(name));
        }
        await _scanLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _cache ??= await LoadCacheAsync(cancellationToken).ConfigureAwait(false);
            // Read now, after the caller's move, so the key is the one the scan will see.
            var now = new FileInfo(SharePath.Combine(ShareDirectory, name));
            if (!now.Exists ||
                (now.Attributes & FileAttributes.ReparsePoint) != 0 ||
                now.Length != size ||
                now.LastWriteTimeUtc.Ticks != lastWriteTimeUtc.Ticks)
            {
                Log.VerifiedNotRecorded(_logger, name);
                return false;
            }
            _cache[name] = new ContentFile(
                name, size, sha256, ChunkSize, new ReadOnlyCollection<string>(chunkHashes), DateTime.SpecifyKind(now.LastWriteTimeUtc, DateTimeKind.Utc));
            _cacheDirty = true;
            return true;
        }
        finally
        {
            _scanLock.Release();
        }
    }

    /// <summary>Creates the share directory if it does not exist.</summary>
    internal void EnsureShareDirectory()
    {
        if (!Directory.Exists(ShareDirectory))
        {
            Directory.CreateDirectory(ShareDirectory);
            Log.ShareCreated(_logger, ShareDirectory);
        }
    }

    private async Task<bool> ScanAsync(CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var previous = _cache ??= await LoadCacheAsync(cancellationToken).ConfigureAwait(false);
        EnsureShareDirectory();
        var root = SharePath.GetRealPath(ShareDirectory)
            ?? throw new IOException($"The share directory '{ShareDirectory}' cannot be resolved (link loop or unreadable link).");
        var candidates = await Task.Run(() => Walk(root, cancellationToken), cancellationToken).ConfigureAwait(false);

        var chunkSize = _options.ChunkSize;
        var next = new Dictionary<string, ContentFile>(candidates.Count, StringComparer.Ordinal);
        var hashed = 0;
        var lastSave = started;
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (previous.TryGetValue(candidate.Name, out var cached) &&
                cached.Size == candidate.Size &&
                cached.LastWriteTimeUtc.Ticks == candidate.LastWriteTimeUtc.Ticks &&
                cached.ChunkSize == chunkSize)
            {
                next.Add(candidate.Name, cached);
                continue;
            }
            if (await TryHashAsync(candidate, chunkSize, cancellationToken).ConfigureAwait(false) is not { } file)
            {
                continue;
            }
            next.Add(candidate.Name, file);
            hashed++;
            if (_timeProvider.GetElapsedTime(lastSave) >= CheckpointInterval)
            {
                // A long first scan of a big share: save progress so a restart does not start over.
                await SaveCacheAsync(previous.Where(p => !next.ContainsKey(p.Key)).Select(p => p.Value).Concat(next.Values), cancellationToken).ConfigureAwait(false);
                lastSave = _timeProvider.GetTimestamp();
            }
        }

        // The set of names only changes by adding (which hashes or takes a recorded entry) or removing
        // (which shrinks it).
        if (hashed > 0 || next.Count != previous.Count || _cacheDirty)
        {
            await SaveCacheAsync(next.Values, cancellationToken).ConfigureAwait(false);
        }
        _cache = next;
        _cacheDirty = false;

        var files = next.Values.ToArray();
        Array.Sort(files, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var old = _snapshot;
        var changed = !old.Sorted.AsSpan().SequenceEqual(files);
        if (changed)
        {
            _snapshot = new IndexSnapshot(files);
            Interlocked.Increment(ref _version);
        }
        Interlocked.Exchange(ref _lastScanTicks, _timeProvider.GetUtcNow().UtcTicks);
        Log.ScanCompleted(
            _logger,
            changed ? LogLevel.Information : LogLevel.Debug,
            files.Length,
            _snapshot.TotalBytes,
            hashed,
            old.Sorted.Length - old.Sorted.Count(f => next.ContainsKey(f.Name)),
            (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return changed;
    }

    /// <summary>How often a long scan saves the hash cache as it goes.</summary>
    private static TimeSpan CheckpointInterval => TimeSpan.FromSeconds(30);

    // Walks the share from its real (link-free) root, so every directory entered is physically inside it.
    private List<ScanCandidate> Walk(string root, CancellationToken cancellationToken)
    {
        var candidates = new List<ScanCandidate>();
        var excluded = GetExcludedDirectory(root);
        var pending = new Stack<(string Path, string Prefix)>();
        pending.Push((root, ""));
        while (pending.TryPop(out var directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                foreach (var entry in new DirectoryInfo(directory.Path).EnumerateFileSystemInfos("*", _enumeration))
                {
                    var name = directory.Prefix.Length == 0 ? entry.Name : $"{directory.Prefix}/{entry.Name}";
                    var isLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
                    if (entry is DirectoryInfo)
                    {
                        if (isLink)
                        {
                            Log.Skipped(_logger, LogText.Escape(name), "a link to a directory (not followed)");
                        }
                        else if (excluded is null || !SharePath.IsSameOrInside(excluded, entry.FullName))
                        {
                            pending.Push((entry.FullName, name));
                        }
                        continue;
                    }
                    if (TryGetCandidate((FileInfo)entry, name, isLink, root, excluded) is { } candidate)
                    {
                        candidates.Add(candidate);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.DirectoryUnreadable(_logger, directory.Prefix, ex);
            }
        }
        return candidates;
    }

    private ScanCandidate? TryGetCandidate(FileInfo entry, string name, bool isLink, string root, string? excluded)
    {
        try
        {
            if (!isLink)
            {
                return new ScanCandidate(name, entry.FullName, entry.Length, entry.LastWriteTimeUtc);
            }
            if (SharePath.GetRealPath(entry.FullName) is not { } real || !IsAllowed(root, excluded, real))
            {
                Log.LinkOutsideShare(_logger, LogText.Escape(name));
                return null;
            }
            var target = new FileInfo(real);
            if (!target.Exists || (target.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                Log.Skipped(_logger, LogText.Escape(name), "a link to nothing");
                return null;
            }
            return new ScanCandidate(name, real, target.Length, target.LastWriteTimeUtc);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.FileUnreadable(_logger, name, ex);
            return null;
        }
    }

    private async Task<ContentFile?> TryHashAsync(ScanCandidate candidate, int chunkSize, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _filesHashed);
        string sha256;
        string[] chunks;
        if (candidate.Size == 0)
        {
            // Never opened: a FIFO (also "0 bytes") would block the scan until someone wrote to it.
            (sha256, chunks) = (FileHasher.EmptySha256, []);
        }
        else
        {
            try
            {
                var stream = new FileStream(candidate.SourcePath, new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    Options = FileOptions.SequentialScan,
                    BufferSize = 0,
                });
                long length;
                await using (stream.ConfigureAwait(false))
                {
                    (sha256, chunks, length) = await FileHasher.HashAsync(stream, chunkSize, candidate.Size, cancellationToken).ConfigureAwait(false);
                }
                if (length != candidate.Size)
                {
                    Log.ChangedWhileHashing(_logger, candidate.Name);
                    return null;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.FileUnreadable(_logger, candidate.Name, ex);
                return null;
            }
        }

        // Written to, or swapped for a link, while we read it: leave it to the next scan.
        var after = new FileInfo(candidate.SourcePath);
        if (!after.Exists ||
            after.Length != candidate.Size ||
            after.LastWriteTimeUtc != candidate.LastWriteTimeUtc ||
            !string.Equals(SharePath.GetRealPath(candidate.SourcePath), candidate.SourcePath, SharePath.Comparison))
        {
            Log.ChangedWhileHashing(_logger, candidate.Name);
            return null;
        }
        return new ContentFile(
            candidate.Name,
            candidate.Size,
            sha256,
            chunkSize,
            new ReadOnlyCollection<string>(chunks),
            DateTime.SpecifyKind(candidate.LastWriteTimeUtc, DateTimeKind.Utc));
    }

    // The state directory is kept out of the index only when it lies inside the share (it may also be
    // elsewhere, even above the share).
    private string? GetExcludedDirectory(string root) =>
        SharePath.GetRealPath(StateDirectory) is { } state && SharePath.IsInside(root, state) ? state : null;

    private static bool IsAllowed(string root, string? excluded, string realPath) =>
        SharePath.IsInside(root, realPath) && (excluded is null || !SharePath.IsSameOrInside(excluded, realPath));

    private async Task<Dictionary<string, ContentFile>> LoadCacheAsync(CancellationToken cancellationToken)
    {
        try
        {
            var files = await HashCacheStore.LoadAsync(_cachePath, cancellationToken).ConfigureAwait(false);
            Log.CacheLoaded(_logger, files.Count, _cachePath);
            return files;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.CacheIgnored(_logger, _cachePath, ex.Message);
            return new Dictionary<string, ContentFile>(StringComparer.Ordinal);
        }
    }

    private async Task SaveCacheAsync(IEnumerable<ContentFile> files, CancellationToken cancellationToken)
    {
        try
        {
            await HashCacheStore.SaveAsync(_cachePath, files, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CacheSaveFailed(_logger, _cachePath, ex);
        }
    }

    private void OnChanged()
    {
        try
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception ex)
        {
            // The scan succeeded; a subscriber's failure must not make RescanAsync look failed.
            Log.ChangedHandlerFailed(_logger, ex);
        }
    }

    private static FileNotFoundException NotInShare(ContentFile file) =>
        new($"'{file.Name}' is not an indexed file inside the share.", file.Name);
}

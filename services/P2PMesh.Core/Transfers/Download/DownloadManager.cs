using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Telemetry;
using P2PMesh.Core.Transfers.Download.Internal;

namespace P2PMesh.Core.Transfers.Download;

/// <summary>
/// Starts and tracks downloads (docs/architecture.md, Transfers; the PClient-API's <c>POST /api/downloads</c>
/// and <c>GET /api/downloads/{id}</c>). A download fetches a file by SHA-256 from a set of sources (the
/// holders named by search hits) in parallel, verifies every chunk against the manifest
/// (protos/p2pmesh/v1/peer.proto, <c>GetManifest</c> and <c>ReadChunks</c>), checks the whole file's
/// SHA-256, and moves it into the share of the <see cref="ContentIndex"/>, which then serves it. Its
/// <c>.part</c> and <c>.state</c> files live in <c>&lt;StateDirectory&gt;/downloads/</c>, so a download
/// cancelled or cut short by a restart resumes when the same hash is started again, by this or a new
/// instance. A DI singleton, thread-safe; disposing it cancels the running jobs (keeping their state).
/// </summary>
public sealed partial class DownloadManager : IDisposable, IAsyncDisposable
{
    /// <summary>The most sources one download accepts (after removing duplicates).</summary>
    public const int MaxSources = 64;

    /// <summary>How many finished jobs are remembered for <see cref="Get"/>; the oldest are forgotten first.</summary>
    public const int MaxRetainedJobs = 1000;

    private readonly ContentIndex _index;
    private readonly MeshMetrics? _metrics;
    private readonly ActivitySource? _transfers;
    private readonly PeerChannelPool _channels;
    private readonly DownloadOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DownloadManager> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, DownloadJob> _jobs = [];
    private bool _disposed;

    /// <summary>Creates a manager with no jobs.</summary>
    /// <param name="index">The share that finished downloads are moved into, and whose state directory holds the part files.</param>
    /// <param name="channels">Channels to the sources.</param>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock for deadlines, progress times and the rate.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">Where received bytes and failed chunk verifications are counted; <c>null</c> for nowhere.</param>
    /// <param name="transfers">The host's <see cref="MeshActivitySources.Transfers"/> source, for one span per download run; <c>null</c> for none.</param>
    /// <exception cref="OptionsValidationException">The options are invalid (<see cref="DownloadOptionsValidator"/>).</exception>
    public DownloadManager(
        ContentIndex index,
        PeerChannelPool channels,
        IOptions<DownloadOptions> options,
        TimeProvider timeProvider,
        ILogger<DownloadManager> logger,
        MeshMetrics? metrics = null,
        [FromKeyedServices(MeshActivitySources.Transfers)] ActivitySource? transfers = null)
    {
        _metrics = metrics;
        _transfers = transfers;
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var validation = new DownloadOptionsValidator().Validate(null, options.Value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DownloadOptions), validation.Failures);
        }
        _index = index;
        _channels = channels;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Every job started and not yet forgotten (see <see cref="MaxRetainedJobs"/>), running or finished.</summary>
    public IReadOnlyCollection<DownloadJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs.Values];
            }
        }
    }

    /// <summary>
    /// Starts downloading the file with SHA-256 <paramref name="sha256"/> from <paramref name="sources"/>
    /// in the background, or returns the job already running for that hash. A finished or cancelled
    /// earlier job's <c>.part</c> and state are resumed. If the share already holds that content, the
    /// job completes at once with its existing name.
    /// </summary>
    /// <param name="sha256">64 hex digits (either case).</param>
    /// <param name="sources">
    /// PServer gRPC addresses, <c>host:port</c> (see <see cref="PeerAddress.TryParse"/>), 1 to
    /// <see cref="MaxSources"/> after removing duplicates. Manifests are asked of them in this order.
    /// </param>
    /// <param name="name">
    /// The file name to store it under (a plain name, by <see cref="UploadName"/>'s rules); <c>null</c>
    /// for the last segment of the manifest's name. Either way, " (1)", " (2)"… is added before the
    /// extension when another file has that name.
    /// </param>
    /// <returns>The job; poll <see cref="DownloadJob.Snapshot"/> or await <see cref="DownloadJob.Completion"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sha256"/> or <paramref name="sources"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="sha256"/> is not 64 hex digits; <paramref name="sources"/> is empty, too long or
    /// has an entry that is not <c>host:port</c>; <paramref name="name"/> is not a plain file name.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public DownloadJob Start(string sha256, IReadOnlyList<string> sources, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentNullException.ThrowIfNull(sources);
        if (!ContentHash.IsSha256Hex(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a SHA-256: expected 64 hex digits.", nameof(sha256));
        }
        sha256 = sha256.ToLowerInvariant();
        var addresses = ParseSources(sources);
        if (name is not null && !UploadName.IsValid(name, out var reason))
        {
            throw new ArgumentException(reason, nameof(name));
        }

        DownloadJob job;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_jobs.Values.FirstOrDefault(j => j.Sha256 == sha256 && !j.IsFinished) is { } running)
            {
                return running;
            }
            Forget();
            job = new DownloadJob(sha256, [.. addresses.Select(a => new SourceTracker(a))], name, _timeProvider);
            _jobs.Add(job.Id, job);
        }
        Log.Started(_logger, job.Id, sha256, addresses.Count);
        var run = new DownloadRun(job, _index, _channels, _options, _timeProvider, _logger, _metrics, _transfers);
        var token = job.Cancellation.Token;
        _ = Task.Run(() => run.RunAsync(token), CancellationToken.None);
        return job;
    }

    /// <summary>The job with id <paramref name="id"/>; <c>null</c> if there is none (or it was forgotten).</summary>
    public DownloadJob? Get(Guid id)
    {
        lock (_lock)
        {
            return _jobs.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// Cancels the job with id <paramref name="id"/>. Its <c>.part</c> and state files are kept, so
    /// starting the same hash again resumes; <see cref="DownloadJob.Completion"/> then completes with
    /// <see cref="DownloadState.Cancelled"/> once the chunks in flight have stopped and the state is saved.
    /// </summary>
    /// <returns>Whether a running job was cancelled (false for an unknown or finished job).</returns>
    public bool Cancel(Guid id)
    {
        var job = Get(id);
        if (job is null || job.IsFinished)
        {
            return false;
        }
        job.Cancellation.Cancel();
        return true;
    }

    /// <summary>Cancels every running job without waiting for them.</summary>
    public void Dispose()
    {
        foreach (var job in StopAll())
        {
            job.Cancellation.Cancel();
        }
    }

    /// <summary>Cancels every running job and waits until each has saved its state and finished.</summary>
    public async ValueTask DisposeAsync()
    {
        var jobs = StopAll();
        foreach (var job in jobs)
        {
            await job.Cancellation.CancelAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(jobs.Select(j => j.Completion)).ConfigureAwait(false);
    }

    private List<DownloadJob> StopAll()
    {
        lock (_lock)
        {
            _disposed = true;
            return [.. _jobs.Values.Where(j => !j.IsFinished)];
        }
    }

    private static List<PeerAddress> ParseSources(IReadOnlyList<string> sources)
    {
        var addresses = new List<PeerAddress>();
        foreach (var source in sources)
        {
            if (!PeerAddress.TryParse(source, out var address, out var error))
            {
                throw new ArgumentException($"Invalid source: {error}.", nameof(sources));
            }
            address = address with { Host = address.Host.ToLowerInvariant() };
            if (!addresses.Contains(address))
            {
                addresses.Add(address);
            }
        }
        return addresses.Count switch
        {
            0 => throw new ArgumentException("At least one source (host:port) is required.", nameof(sources)),
            > MaxSources => throw new ArgumentException($"At most {MaxSources} sources are accepted, not {addresses.Count}.", nameof(sources)),
            _ => addresses,
        };
    }

    // Called under _lock: keeps the number of remembered jobs bounded by dropping the oldest finished ones.
    private void Forget()
    {
        var excess = _jobs.Count - MaxRetainedJobs + 1;
        if (excess <= 0)
        {
            return;
        }
        foreach (var old in _jobs.Values.Where(j => j.IsFinished).OrderBy(j => j.StartedAt).Take(excess).ToList())
        {
            _jobs.Remove(old.Id);
        }
    }
}

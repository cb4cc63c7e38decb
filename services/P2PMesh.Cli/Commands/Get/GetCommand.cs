using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.Cli.Commands.Search;
using P2PMesh.Cli.Rendering;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Commands.Get;

/// <summary>
/// Resolves the target to one SHA-256 (a pattern is searched first, <c>--via</c> as <c>search</c>: exactly one distinct
/// file, else exit 1; a hash too when <c>--via</c> is not auto), starts <c>POST /api/downloads</c> with the search's sources, follows
/// <c>GET /api/downloads/{id}</c> with a progress bar until it completes or fails, and with
/// <c>--out</c> streams <c>GET /api/files/{sha256}/content</c> into the directory, verifying the hash
/// locally. Ctrl-C deletes the job.
/// </summary>
internal sealed class GetCommand(ParseResult parseResult)
{
    /// <summary>How often the job is polled.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, GetCommandDefinition.ApiOption, RunAsync, cancellationToken);

    /// <summary>Whether <paramref name="text"/> names a file by hash (<c>[sha256:]</c> and 64 hex digits); if so, the lowercase hash.</summary>
    internal static bool TryParseSha256(string text, out string sha256)
    {
        var hex = text.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? text["sha256:".Length..] : text;
        sha256 = hex.ToLowerInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit);
    }

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var target = CommonOptions.SinglePattern(parseResult, GetCommandDefinition.TargetArgument).Trim();
        var json = parseResult.GetValue(GetCommandDefinition.JsonOption);
        var outDirectory = parseResult.GetValue(GetCommandDefinition.OutOption);
        // Before anything is downloaded: an --out that cannot be created fails now (one line, from ApiCommandRunner).
        outDirectory?.Create();

        string sha256;
        IReadOnlyList<string>? sources = null;
        string? name = null;
        // Source address → peer id, from the search (a hash names no peers).
        var peerIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var via = parseResult.GetRequiredValue(GetCommandDefinition.ViaOption);
        var isHash = TryParseSha256(target, out sha256);
        // A hash with the default (auto) lets the API find the sources (it searches with auto); another --via searches here.
        if (!isHash || via != SearchModes.Auto)
        {
            var pattern = isHash ? $"sha256:{sha256}" : target;
            var search = (await api.SearchAsync(pattern, parseResult.GetValue(GetCommandDefinition.TtlOption), explain: false, via, cancellationToken)).Value;
            switch (search.Files.Count)
            {
                case 0:
                    console.WriteError($"no file matches '{target}' ({SearchCommand.Reach(search.Stats)}).");
                    return ExitCodes.Failure;
                case > 1:
                    console.WriteError($"{search.Files.Count} different files match '{target}'; name one by its SHA-256:");
                    console.AnsiError.Write(SearchCommand.FilesTable(search.Files));
                    foreach (var candidate in search.Files)
                    {
                        console.Error.WriteLine($"  p2pmesh get {candidate.Sha256}    # {string.Join(", ", candidate.Names)}");
                    }
                    return ExitCodes.Failure;
            }
            var file = search.Files[0];
            sha256 = file.Sha256;
            sources = [.. file.Sources.Select(s => s.Address).Distinct(StringComparer.Ordinal)];
            foreach (var source in file.Sources)
            {
                peerIds.TryAdd(source.Address, source.PeerId);
            }
            name = file.Names.FirstOrDefault();
        }

        DownloadStatus job;
        try
        {
            // Not cancellable: a Ctrl-C while the request is in flight would leave a job running that
            // this CLI never learnt the id of. The API answers quickly (after at most a search when no
            // sources are given), and the job is deleted right below if Ctrl-C came meanwhile.
            job = await api.StartDownloadAsync(new StartDownloadRequest(sha256, sources, name), CancellationToken.None);
        }
        catch (ApiProblemException e) when (e.Status is 404 or 405 && string.IsNullOrEmpty(e.Problem.Detail))
        {
            // A bare 404/405 is the router's: the endpoint itself is missing, not the file.
            console.WriteError($"the PClient-API at {api.BaseAddress} does not serve downloads (POST /api/downloads answered {e.Status}); it may predate them.");
            return ExitCodes.Failure;
        }
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            job = await FollowAsync(api, console, job, name ?? Format.ShortHash(sha256), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelQuietlyAsync(api, job.Id);
            console.WriteError($"cancelled; download {job.Id} deleted.");
            return ExitCodes.Cancelled;
        }

        if (job.State != DownloadStates.Completed)
        {
            console.WriteError($"download of {sha256} {job.State}{(job.Error is null ? "" : $": {job.Error}")}");
            return ExitCodes.Failure;
        }

        string? path = null;
        if (outDirectory is not null)
        {
            path = await SaveAsync(api, console, job, name, outDirectory, cancellationToken);
            if (path is null)
            {
                return ExitCodes.Failure;
            }
        }

        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new GetResult(job, path), GetResult.TypeInfo).AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }
        if (job.AlreadyShared)
        {
            console.Ansi.MarkupLineInterpolated($"[bold]{job.FileName ?? name ?? sha256}[/] is already in the share of {api.BaseAddress}; nothing to download");
        }
        else
        {
            var served = job.Sources.Where(s => s.Chunks > 0).ToList();
            console.Ansi.MarkupLineInterpolated(
                $"Downloaded [bold]{job.FileName ?? name ?? sha256}[/] ({Format.Bytes(job.TotalBytes ?? job.BytesDone)}, {Format.Count(job.ChunksTotal ?? job.ChunksDone, "chunk")} from {Format.Count(served.Count, "source")}) into the share of {api.BaseAddress}");
            foreach (var source in served)
            {
                console.Ansi.WriteLine(SourceLine(source, peerIds.GetValueOrDefault(source.Address)));
            }
        }
        if (path is not null)
        {
            console.Ansi.MarkupLineInterpolated($"Saved to [bold]{path}[/] (SHA-256 verified)");
        }
        return ExitCodes.Success;
    }

    /// <summary>One source's share of a download: <c>  127.0.0.1:41234 (peer-3): 17 chunks, 17 MiB</c> (the peer id when a search named it).</summary>
    internal static string SourceLine(DownloadSourceStatus source, string? peerId) =>
        $"  {source.Address}{(peerId is null ? "" : $" ({peerId})")}: {Format.Count(source.Chunks, "chunk")}, {Format.Bytes(source.Bytes)}";

    private static async Task<DownloadStatus> FollowAsync(PClientApiClient api, CliConsole console, DownloadStatus job, string label, CancellationToken cancellationToken) =>
        await TransferProgress.RunAsync(console, $"get {label}", job.TotalBytes is > 0 ? job.TotalBytes : null, async progress =>
        {
            while (true)
            {
                if (job.TotalBytes is { } total)
                {
                    progress.SetTotal(total);
                }
                progress.Report(job.BytesDone);
                if (DownloadStates.IsFinished(job.State))
                {
                    return job;
                }
                if (job.State == DownloadStates.Verifying)
                {
                    progress.Describe($"verify {label}");
                }
                await Task.Delay(PollInterval, cancellationToken);
                job = await api.GetDownloadAsync(job.Id, cancellationToken);
            }
        });

    private static async Task CancelQuietlyAsync(PClientApiClient api, Guid id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await api.CancelDownloadAsync(id, timeout.Token);
        }
        catch (Exception e) when (e is ApiProblemException or ApiUnreachableException or OperationCanceledException)
        {
            // Best effort: the job may have finished, or the API may be gone.
        }
    }

    /// <summary>Streams the file's content into <paramref name="directory"/>, hashing as it goes; null (and no file) on a mismatch.</summary>
    private static async Task<string?> SaveAsync(PClientApiClient api, CliConsole console, DownloadStatus job, string? name, DirectoryInfo directory, CancellationToken cancellationToken)
    {
        // The name it was found under (the share may have stored it as "x (1).iso"), and only its last
        // segment: a share-relative name like "iso/x.iso" must not pick the directory.
        var fileName = Path.GetFileName((name ?? job.FileName ?? job.Sha256).Replace('\\', '/').Split('/')[^1]);
        if (string.IsNullOrWhiteSpace(fileName) || fileName is "." or "..")
        {
            fileName = job.Sha256;
        }
        var path = Path.Combine(directory.FullName, fileName);
        var part = path + ".part";

        using var response = await api.GetContentAsync(job.Sha256, cancellationToken);
        long? length = response.Content.Headers.ContentLength ?? job.TotalBytes;
        string actual;
        try
        {
            actual = await TransferProgress.RunAsync(console, $"save {fileName}", length, async progress =>
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
                await using (var target = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    var buffer = new byte[81920];
                    long done = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                        done += read;
                        progress.Report(done);
                    }
                }
                return Convert.ToHexStringLower(hash.GetHashAndReset());
            });
        }
        catch
        {
            File.Delete(part);
            throw;
        }
        if (!string.Equals(actual, job.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            console.WriteError($"the copy of {fileName} from {api.BaseAddress} hashes to {actual}, not {job.Sha256}; nothing saved.");
            return null;
        }
        File.Move(part, path, overwrite: true);
        return path;
    }
}

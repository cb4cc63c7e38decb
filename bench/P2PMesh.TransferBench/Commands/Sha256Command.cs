using System.Diagnostics;
using System.Runtime;
using System.Security.Cryptography;
using P2PMesh.Bench.Shared;

namespace P2PMesh.TransferBench.Commands;

/// <summary>
/// <c>sha256</c>: the hashing reference. SHA-256 of a file through <see cref="IncrementalHash"/> (the
/// API the content index and the download engine use), streamed with one 1 MiB buffer, as they do.
/// </summary>
internal static class Sha256Command
{
    public static int Run(CommandArgs args)
    {
        var path = args.Required("file");
        var bufferSize = args.Int("buffer-kib", 1024, min: 4) * 1024;
        var buffer = new byte[bufferSize];
        var loadBefore = ProcStats.LoadAverage();
        var cpuStart = CpuSample.Take([]);
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        string hex;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                bytes += n;
            }
            hex = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        var elapsed = clock.Elapsed;
        var cpu = CpuSample.Take([]).Since(cpuStart);
        Console.WriteLine(Json.Serialize(new
        {
            kind = "sha256_dotnet",
            id = args.Optional("id"),
            bytes,
            seconds = Math.Round(elapsed.TotalSeconds, 3),
            mib_per_s = Math.Round(bytes / 1048576.0 / elapsed.TotalSeconds, 1),
            sha256 = hex,
            buffer_bytes = bufferSize,
            cpu,
            peak_rss_kib = ProcStats.StatusKib("self", "VmHWM"),
            server_gc = GCSettings.IsServerGC,
            load_before = loadBefore,
            load_after = ProcStats.LoadAverage(),
        }));
        return 0;
    }
}

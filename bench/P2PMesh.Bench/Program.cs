using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using P2PMesh.Contracts;
using P2PMesh.Contracts.Tls;
using P2PMesh.Core.Peers;
using P2PMesh.Testing.V1;

// The grpc-dotnet client of bench/ (bench/README.md), configured as the product calls its peers: the generated
// client over the GrpcChannel of Core's PeerChannelPool. Runs one workload against an Echo server and prints one
// JSON line; bench/grpcjs-client.js is its grpc-js twin and prints the same shape.
//
//   dotnet run -c Release --project bench/P2PMesh.Bench -- --target http://127.0.0.1:PORT
//       --workload unary-latency|unary-concurrent|stream-64k|stream-1m [--seconds 5] [--warmup 1] [--tls DIR]
//   dotnet run -c Release --project bench/P2PMesh.Bench -- --make-ca DIR
// --tls DIR: mutual TLS with DIR's tls.crt, tls.key and ca.crt (a target https://…); --make-ca writes them.
//
// Every workload first runs unmeasured for --warmup seconds (JIT tiering, connection set-up), then is
// measured for --seconds. One channel carries every call of a run.

if (args is ["--make-ca", var caDirectory])
{
    // bench/tls-run.sh: the CA and certificate both ends of a TLS run use (what `p2pmesh up --tls` makes).
    LocalCertificateAuthority.Create(caDirectory, TimeSpan.FromDays(1));
    return;
}
var settings = Settings.Parse(args);
using var channels = new PeerChannelPool(TimeProvider.System, tokens: null, settings.TlsDirectory is { } tlsDirectory
    ? MeshTls.Load(
        Path.Combine(tlsDirectory, LocalCertificateAuthority.CertificateFileName),
        Path.Combine(tlsDirectory, LocalCertificateAuthority.KeyFileName),
        Path.Combine(tlsDirectory, LocalCertificateAuthority.CaFileName))
    : null);
var client = new Echo.EchoClient(channels.Channel(settings.Target));
var result = settings.Workload switch
{
    "unary-latency" => await Workloads.UnaryLatencyAsync(client, settings),
    "unary-concurrent" => await Workloads.UnaryConcurrentAsync(client, settings),
    "stream-64k" => await Workloads.ServerStreamAsync(client, settings, replySize: 64 * 1024),
    "stream-1m" => await Workloads.ServerStreamAsync(client, settings, replySize: 1024 * 1024),
    _ => throw new ArgumentException($"Unknown workload '{settings.Workload}'."),
};
var line = new Dictionary<string, object> { ["client"] = "grpc-dotnet", ["workload"] = settings.Workload };
foreach (var (key, value) in result)
{
    line[key] = value;
}
Console.WriteLine(JsonSerializer.Serialize(line));

/// <summary>Command-line settings of one run.</summary>
internal sealed record Settings(PeerAddress Target, string Workload, double Seconds, double Warmup, string? TlsDirectory)
{
    public static Settings Parse(string[] args)
    {
        string? target = null, workload = null, tls = null;
        double seconds = 5, warmup = 1;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--target": target = args[i + 1]; break;
                case "--workload": workload = args[i + 1]; break;
                case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--tls": tls = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (target is null || !Uri.TryCreate(target, UriKind.Absolute, out var uri) || !PeerAddress.TryParse(uri.Authority, out var address, out _))
        {
            throw new ArgumentException("--target http://127.0.0.1:PORT is required.");
        }
        return new Settings(
            address,
            workload ?? throw new ArgumentException("--workload is required."),
            seconds,
            warmup,
            tls);
    }
}

/// <summary>The four workloads; each returns its measurements as JSON fields.</summary>
internal static class Workloads
{
    /// <summary>Calls kept in flight by unary-concurrent.</summary>
    private const int Concurrency = 64;

    /// <summary>Payload per server-streaming call: 32 MiB (512 × 64 KiB or 32 × 1 MiB).</summary>
    private const int BytesPerStreamCall = 32 * 1024 * 1024;

    /// <summary>The small request of the unary workloads (the same in grpcjs-client.js).</summary>
    private static readonly EchoRequest SmallRequest = new() { Message = "bench" };

    /// <summary>Sequential unary calls, one at a time: latency percentiles.</summary>
    public static async Task<Dictionary<string, object>> UnaryLatencyAsync(Echo.EchoClient client, Settings settings)
    {
        var warmupEnd = Stopwatch.GetTimestamp() + Ticks(settings.Warmup);
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            await client.UnaryAsync(SmallRequest);
        }

        var samples = new List<double>(100_000);
        var cpu = CpuTime();
        var start = Stopwatch.GetTimestamp();
        var end = start + Ticks(settings.Seconds);
        while (Stopwatch.GetTimestamp() < end)
        {
            var before = Stopwatch.GetTimestamp();
            await client.UnaryAsync(SmallRequest);
            samples.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
        }
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        samples.Sort();
        return new()
        {
            ["seconds"] = Round(elapsed, 2),
            ["calls"] = samples.Count,
            ["p50_us"] = Round(Percentile(samples, 0.50), 1),
            ["p99_us"] = Round(Percentile(samples, 0.99), 1),
            ["mean_us"] = Round(samples.Average(), 1),
            ["cpu_s"] = Round(CpuTime() - cpu, 2),
        };
    }

    /// <summary>
    /// <see cref="Concurrency"/> callers, each starting its next unary call when the last one ends;
    /// calls completing inside the measured window are counted (no drain between warm-up and measure).
    /// </summary>
    public static async Task<Dictionary<string, object>> UnaryConcurrentAsync(Echo.EchoClient client, Settings settings)
    {
        var start = Stopwatch.GetTimestamp() + Ticks(settings.Warmup);
        var end = start + Ticks(settings.Seconds);
        var cpuAtStart = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.Warmup));
            return CpuTime();
        });
        var counts = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            var count = 0;
            while (true)
            {
                await client.UnaryAsync(SmallRequest);
                var now = Stopwatch.GetTimestamp();
                if (now >= end)
                {
                    return count;
                }
                if (now >= start)
                {
                    count++;
                }
            }
        }));
        var cpu = await cpuAtStart;
        var calls = counts.Sum();
        return new()
        {
            ["seconds"] = settings.Seconds,
            ["concurrency"] = Concurrency,
            ["calls"] = calls,
            ["calls_per_s"] = Round(calls / settings.Seconds, 0),
            ["cpu_s"] = Round(CpuTime() - cpu, 2),
        };
    }

    /// <summary>Consecutive server-streaming calls of 32 MiB each: payload MiB/s received.</summary>
    public static async Task<Dictionary<string, object>> ServerStreamAsync(Echo.EchoClient client, Settings settings, int replySize)
    {
        var request = new EchoRequest { Message = "bench", ReplySize = replySize, ReplyCount = BytesPerStreamCall / replySize };
        var warmupEnd = Stopwatch.GetTimestamp() + Ticks(settings.Warmup);
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            await StreamOnceAsync(client, request);
        }

        long bytes = 0, messages = 0, calls = 0;
        var cpu = CpuTime();
        var start = Stopwatch.GetTimestamp();
        var end = start + Ticks(settings.Seconds);
        while (Stopwatch.GetTimestamp() < end)
        {
            var (callBytes, callMessages) = await StreamOnceAsync(client, request);
            bytes += callBytes;
            messages += callMessages;
            calls++;
        }
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var mib = bytes / (1024.0 * 1024.0);
        return new()
        {
            ["seconds"] = Round(elapsed, 2),
            ["calls"] = calls,
            ["messages"] = messages,
            ["mib"] = Round(mib, 1),
            ["mib_per_s"] = Round(mib / elapsed, 1),
            ["cpu_s"] = Round(CpuTime() - cpu, 2),
        };
    }

    /// <summary>One server-streaming call read to its end; checks every reply's size and index.</summary>
    private static async Task<(long Bytes, long Messages)> StreamOnceAsync(Echo.EchoClient client, EchoRequest request)
    {
        using var call = client.ServerStream(request);
        long bytes = 0;
        var messages = 0;
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            if (reply.Payload.Length != request.ReplySize || reply.Index != messages)
            {
                throw new InvalidOperationException($"Reply {messages}: index {reply.Index}, {reply.Payload.Length} payload bytes.");
            }
            bytes += reply.Payload.Length;
            messages++;
        }
        if (messages != request.ReplyCount)
        {
            throw new InvalidOperationException($"Expected {request.ReplyCount} replies, got {messages}.");
        }
        return (bytes, messages);
    }

    private static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    private static double CpuTime() => Environment.CpuUsage.TotalTime.TotalSeconds;

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}

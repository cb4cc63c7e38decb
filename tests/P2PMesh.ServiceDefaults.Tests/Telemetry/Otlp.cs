using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>Settings that point a <see cref="TelemetryHost"/> at a receiver, and waiting on what it received.</summary>
public static class Otlp
{
    /// <summary>Generous: only a broken export waits this long.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    /// <summary><c>--OTEL_EXPORTER_OTLP_ENDPOINT</c> and <c>_PROTOCOL</c> for <paramref name="receiver"/>.</summary>
    public static string[] To(OtlpReceiver receiver, string protocol = "http/protobuf") =>
    [
        $"--OTEL_EXPORTER_OTLP_ENDPOINT={(protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint).AbsoluteUri.TrimEnd('/')}",
        $"--OTEL_EXPORTER_OTLP_PROTOCOL={protocol}",
    ];

    /// <summary>Waits until <paramref name="condition"/> holds (polling), failing after <see cref="Cap"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var cap = new CancellationTokenSource(Cap);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, cap.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"not within {Cap.TotalSeconds:0} s: {what}");
            }
        }
    }
}

using P2PMesh.Testing;

// Started by the grpc-js interop suite and by bench/: Echo on grpc-dotnet as the product configures it
// (EchoGrpcHost), one line to stdout with the address, then serve until stdin closes (the parent is gone) or
// SIGTERM/Ctrl-C. Logs go to stderr. Arguments are settings for the host (bench/tls-run.sh: --Tls:*).
var host = await EchoGrpcHost.StartAsync(Microsoft.Extensions.Logging.LogLevel.Warning, args);
Console.WriteLine($"LISTENING {host.Address.ToString().TrimEnd('/')}");
Console.Out.Flush();

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });

var stdin = Task.Run(async () =>
{
    while (await Console.In.ReadLineAsync(stop.Token) is { } line)
    {
        switch (line.Trim())
        {
            case "unhealthy":
                host.Health.Healthy = false;
                break;
            case "healthy":
                host.Health.Healthy = true;
                break;
        }
    }
});
await Task.WhenAny(stdin, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
await host.DisposeAsync();

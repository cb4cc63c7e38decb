using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace P2PMesh.TransferBench.Commands;

/// <summary>
/// <c>serve-file</c>: the raw-TCP reference. A minimal Kestrel app, HTTP/1.1 only, whose <c>GET /file</c>
/// is <see cref="Results.File(string, string?, string?, DateTimeOffset?, Microsoft.Net.Http.Headers.EntityTagHeaderValue?, bool)"/>
/// of one file with range processing off: the bytes go from the page cache to a loopback socket with no
/// framing, hashing or disk write. Fetched with <c>curl -o /dev/null</c>, it is what copying the file
/// over TCP on this machine costs.
/// </summary>
internal static class ServeFileCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var file = Path.GetFullPath(args.Required("file"));
        if (!File.Exists(file))
        {
            throw new ArgumentException($"{file} does not exist");
        }
        var host = IPAddress.Parse(args.Optional("host") ?? "127.0.0.1");
        var port = args.Int("port", 0, min: 0);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(host, port, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.MapGet("/file", () => Results.File(file, "application/octet-stream", enableRangeProcessing: false));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"LISTENING {address.TrimEnd('/')}/file");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

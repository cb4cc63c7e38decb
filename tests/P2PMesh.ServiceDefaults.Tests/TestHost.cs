using System.Diagnostics;
using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using P2PMesh.Contracts;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.Testing;
using P2PMesh.V1;

namespace P2PMesh.ServiceDefaults.Tests;

/// <summary>
/// A minimal service set up as the real ones are: a WebApplication that calls
/// <see cref="Extensions.AddServiceDefaults"/> (with the mesh's <see cref="HousekeepingMethods.Paths"/>), optionally
/// <see cref="GrpcEndpointExtensions.AddGrpcEndpoint"/> serving <see cref="TestPeerService"/> as <c>p2pmesh.v1.Peer</c>, and
/// <see cref="Extensions.MapDefaultEndpoints"/>; configured only by the settings given (command-line style, e.g.
/// <c>--OTEL_EXPORTER_OTLP_ENDPOINT=…</c>, never process environment variables, so tests can run in parallel).
/// Plain HTTP/1.1 on 127.0.0.1 and a free port: <c>GET /work?count=N</c> does <see cref="TestWork"/> under the request
/// span; <c>GET /call/ping</c> and <c>/call/list</c> call the host's own <c>Ping</c> / <c>ListFiles</c> over gRPC.
/// Readiness: <see cref="Ready"/> (a toggle, description "toggled off") and <see cref="WorkHealthCheck"/>; liveness:
/// the defaults' <c>self</c> and <see cref="Live"/>.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string ServiceName = "p2pmesh-test";

    public const string InstanceId = "peer-7";

    private readonly WebApplication _app;
    private readonly GrpcChannel? _channel;
    private bool _disposed;

    private TestHost(WebApplication app, ToggleHealthCheck ready, ToggleHealthCheck live, Uri http, Uri? grpc)
    {
        _app = app;
        Ready = ready;
        Live = live;
        // No DiagnosticsHandler: no client span, no traceparent (the kubelet sends none either).
        Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = http };
        if (grpc is not null)
        {
            GrpcAddress = grpc;
            _channel = GrpcChannel.ForAddress(grpc);
        }
    }

    /// <summary>A client of the HTTP/1.1 port; it sends no <c>traceparent</c> of its own.</summary>
    public HttpClient Client { get; }

    /// <summary>The gRPC port (plaintext HTTP/2), for a host started with gRPC.</summary>
    public Uri? GrpcAddress { get; }

    /// <summary>A channel to <see cref="GrpcAddress"/> (the process's ordinary grpc-dotnet client: it propagates <see cref="Activity.Current"/>).</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("started without gRPC");

    public Peer.PeerClient Peer => new(Channel);

    public IServiceProvider Services => _app.Services;

    /// <summary>A readiness check (tag <see cref="HealthTags.Ready"/>), healthy until a test says otherwise.</summary>
    public ToggleHealthCheck Ready { get; }

    /// <summary>A liveness check (tag <see cref="HealthTags.Live"/>), healthy until a test says otherwise.</summary>
    public ToggleHealthCheck Live { get; }

    /// <summary>Starts a host with the gRPC endpoint.</summary>
    public static Task<TestHost> StartAsync(params string[] settings) => StartAsync(grpc: true, settings);

    /// <summary>Starts a host without the gRPC endpoint: HTTP only, as the PClient-API.</summary>
    public static Task<TestHost> StartWithoutGrpcAsync(params string[] settings) => StartAsync(grpc: false, settings);

    private static async Task<TestHost> StartAsync(bool grpc, string[] settings)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. settings]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults(ServiceName, InstanceId, HousekeepingMethods.Paths);
        if (grpc)
        {
            // Listened on first, so listed first.
            builder.AddGrpcEndpoint(new TestEndpoint(), [V1.Peer.Descriptor.FullName], o => o.EnableDetailedErrors = true);
        }
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var ready = new ToggleHealthCheck();
        var live = new ToggleHealthCheck();
        builder.Services.AddHealthChecks()
            .AddCheck("toggle", ready, tags: [HealthTags.Ready])
            .AddCheck<WorkHealthCheck>("work", tags: [HealthTags.Ready])
            .AddCheck("alive", live, tags: [HealthTags.Live]);
        // The publisher (grpc.health.v1 Watch, every 2 s) leaves the work check out: work is done only when a probe asks.
        builder.Services.PostConfigure<HealthCheckPublisherOptions>(o => o.Predicate = r => r.Name != "work");
        builder.Services.AddKeyedSingleton(TestWork.SourceName, static (_, _) => new ActivitySource(TestWork.SourceName));
        builder.Services.AddSingleton<TestWork>();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        if (grpc)
        {
            app.MapGrpcService<TestPeerService>();
        }
        app.MapGet("/work", (int? count, TestWork work) =>
        {
            work.Do(count ?? 1);
            return Results.Text("done");
        });
        TestHost? host = null;
        app.MapGet("/call/ping", async () =>
        {
            await host!.Peer.PingAsync(new PingRequest());
            return Results.Text("done");
        });
        app.MapGet("/call/list", async () =>
        {
            await host!.Peer.ListFilesAsync(new ListFilesRequest());
            return Results.Text("done");
        });
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        Assert.Equal(grpc ? 2 : 1, addresses.Count);
        host = grpc ? new TestHost(app, ready, live, addresses[1], addresses[0]) : new TestHost(app, ready, live, addresses[0], null);
        return host;
    }

    /// <summary>Does <paramref name="count"/> <see cref="TestWork"/> outside any request (roots).</summary>
    public void Work(int count = 1) => Services.GetRequiredService<TestWork>().Do(count);

    /// <summary>Stops the host and disposes it (its service provider, and so its tracer and meter providers, which flush).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Client.Dispose();
        _channel?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace P2PMesh.Testing.Otlp;

/// <summary>
/// A fake OTLP collector for tests, on 127.0.0.1 (free ports): OTLP/HTTP (<c>POST /v1/traces</c>, <c>/v1/metrics</c>,
/// <c>application/x-protobuf</c>, OTLP spec "OTLP/HTTP") on an HTTP/1.1 port, <see cref="HttpEndpoint"/>, and OTLP/gRPC
/// (<c>opentelemetry.proto.collector.{trace,metrics}.v1</c> <c>Export</c>, grpc-dotnet: <see cref="OtlpTraceService"/>,
/// <see cref="OtlpMetricsService"/>) on an HTTP/2 port, <see cref="GrpcEndpoint"/>. It keeps every request it decoded.
/// </summary>
/// <remarks>
/// Its own requests are never traced: a host in the same process that exports to it would otherwise record (every
/// tracer provider listens to every <c>Microsoft.AspNetCore</c> source of the process) and export a span for each of
/// its exports, without end. The receiver's ASP.NET Core therefore reports to a source and a diagnostic listener of
/// its own, <see cref="UntracedName"/>, which no provider listens to.
/// </remarks>
public sealed class OtlpReceiver : IAsyncDisposable
{
    /// <summary>The name of the receiver's own activity source and diagnostic listener (not <c>P2PMesh.*</c>).</summary>
    public const string UntracedName = "OtlpReceiver.Untraced";

    private readonly WebApplication _app;
    private readonly OtlpStore _store;

    private OtlpReceiver(WebApplication app, OtlpStore store, Uri http, Uri grpc)
    {
        _app = app;
        _store = store;
        HttpEndpoint = http;
        GrpcEndpoint = grpc;
    }

    /// <summary>The OTLP/HTTP base URL, e.g. <c>http://127.0.0.1:41234</c> (the exporter appends <c>/v1/traces</c>).</summary>
    public Uri HttpEndpoint { get; }

    /// <summary>The OTLP/gRPC URL (h2c), e.g. <c>http://127.0.0.1:41235</c>.</summary>
    public Uri GrpcEndpoint { get; }

    /// <summary>Every trace export received so far.</summary>
    public IReadOnlyList<ExportTraceServiceRequest> TraceRequests => [.. _store.Traces];

    /// <summary>Every metrics export received so far.</summary>
    public IReadOnlyList<ExportMetricsServiceRequest> MetricRequests => [.. _store.Metrics];

    /// <summary>Every HTTP request that reached the receiver (any path), malformed or not.</summary>
    public int RequestCount => _store.RequestCount;

    /// <summary>Every span received, with its resource and scope.</summary>
    public IReadOnlyList<ReceivedSpan> Spans =>
        [.. TraceRequests.SelectMany(r => r.ResourceSpans).SelectMany(rs => rs.ScopeSpans.SelectMany(ss => ss.Spans.Select(s => new ReceivedSpan(rs.Resource, ss.Scope, s))))];

    /// <summary>Every metric received, with its resource and scope, in arrival order.</summary>
    public IReadOnlyList<ReceivedMetric> Metrics =>
        [.. MetricRequests.SelectMany(r => r.ResourceMetrics).SelectMany(rm => rm.ScopeMetrics.SelectMany(sm => sm.Metrics.Select(m => new ReceivedMetric(rm.Resource, sm.Scope, m))))];

    /// <summary>Starts the receiver.</summary>
    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
        });
        builder.Services.Replace(ServiceDescriptor.Singleton(new ActivitySource(UntracedName)));
        builder.Services.Replace(ServiceDescriptor.Singleton(new DiagnosticListener(UntracedName)));
        var store = new OtlpStore();
        builder.Services.AddSingleton(store);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            store.Counted();
            return next(context);
        });
        app.MapPost("/v1/traces", (HttpContext context) => ReadAsync(context, ExportTraceServiceRequest.Parser, store.Traces, new ExportTraceServiceResponse()));
        app.MapPost("/v1/metrics", (HttpContext context) => ReadAsync(context, ExportMetricsServiceRequest.Parser, store.Metrics, new ExportMetricsServiceResponse()));
        app.MapGrpcService<OtlpTraceService>();
        app.MapGrpcService<OtlpMetricsService>();
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        // Kestrel lists the endpoints in the order they were configured.
        return new OtlpReceiver(app, store, addresses[0], addresses[1]);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // OTLP/HTTP: a protobuf body in, a protobuf response out (OTLP spec, "OTLP/HTTP Response").
    private static async Task ReadAsync<T>(HttpContext context, MessageParser<T> parser, ConcurrentQueue<T> into, IMessage response)
        where T : IMessage<T>
    {
        if (context.Request.ContentType != "application/x-protobuf")
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        into.Enqueue(parser.ParseFrom(body.ToArray()));
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted);
    }
}

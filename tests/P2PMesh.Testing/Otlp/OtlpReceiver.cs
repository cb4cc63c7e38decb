using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Grpc.Core;

namespace P2PMesh.Testing.Otlp;

/// <summary>
/// A test OTLP receiver on 127.0.0.1 (free ports): OTLP/HTTP (<c>POST /v1/traces</c>, <c>/v1/metrics</c>,
/// <c>application/x-protobuf</c>, OTLP spec "OTLP/HTTP") on <see cref="HttpEndpoint"/>, and OTLP/gRPC
/// (<c>opentelemetry.proto.collector.{trace,metrics}.v1</c> <c>Export</c>, served by P2PMesh.Grpc) on
/// <see cref="GrpcEndpoint"/>. It keeps every request it decoded; its own host is not traced.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
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
            kestrel.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1AndHttp2);
            kestrel.ListenGrpcPlaintext(IPAddress.Loopback, 0);
        });
        var store = new OtlpStore();
        builder.Services.AddSingleton(store);
        builder.Services.AddMeshGrpc();
        builder.Services.AddSingleton(new OtlpExportGrpcService<ExportTraceServiceRequest, ExportTraceServiceResponse>(store.Traces));
        builder.Services.AddSingleton(new OtlpExportGrpcService<ExportMetricsServiceRequest, ExportMetricsServiceResponse>(store.Metrics));
        var app = builder.Build();
        app.Use((context, next) =>
        {
            store.Counted();
            return next(context);
        });
        app.MapPost("/v1/traces", (HttpContext context) => ReadAsync(context, ExportTraceServiceRequest.Parser, store.Traces, new ExportTraceServiceResponse()));
        app.MapPost("/v1/metrics", (HttpContext context) => ReadAsync(context, ExportMetricsServiceRequest.Parser, store.Metrics, new ExportMetricsServiceResponse()));
        app.MapGrpcService<OtlpExportGrpcService<ExportTraceServiceRequest, ExportTraceServiceResponse>>();
        app.MapGrpcService<OtlpExportGrpcService<ExportMetricsServiceRequest, ExportMetricsServiceResponse>>();
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

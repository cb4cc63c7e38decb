namespace P2PMesh.Grpc;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The HTTP handler calls go through. <c>null</c> (the default) creates a <see cref="SocketsHttpHandler"/>
    /// with HTTP/2 keep-alive pings, several HTTP/2 connections when streams run out, and no proxy.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>. Defaults to <c>true</c>.</summary>
    public bool DisposeHttpHandler { get; set; } = true;

    /// <summary>
    /// The largest response message accepted, in bytes, after decompression; a larger one fails the
    /// call with <see cref="StatusCode.ResourceExhausted"/>. <c>null</c> removes the limit.
    /// Defaults to 4,194,304 (4 MiB).
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = Internal.GrpcProtocolConstants.DefaultMaxReceiveMessageSize;

    /// <summary>
    /// The largest request message sent, in bytes; a larger one fails the call with
    /// <see cref="StatusCode.ResourceExhausted"/> before anything is sent. <c>null</c> (the default) removes the limit.
    /// </summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// Where client spans go: one per call, a child of <see cref="System.Diagnostics.Activity.Current"/>, per the
    /// OpenTelemetry semantic conventions for RPC spans (see <see cref="GrpcTelemetry"/>). Pass the host's
    /// keyed <see cref="GrpcTelemetry.ActivitySourceName"/> source. <c>null</c> (the default) creates no
    /// spans; the current trace context is still sent as <c>traceparent</c> by the HTTP handler
    /// (<see cref="SocketsHttpHandler.ActivityHeadersPropagator"/>).
    /// </summary>
    public System.Diagnostics.ActivitySource? ActivitySource { get; set; }

    /// <summary>The clock deadlines are measured with. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

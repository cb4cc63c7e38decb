using OpenTelemetry.Proto.Trace.V1;
using Xunit;
using SpanStatus = OpenTelemetry.Proto.Trace.V1.Status;

namespace P2PMesh.Testing.Otlp;

/// <summary>
/// Checks a received ASP.NET Core request span against the OpenTelemetry HTTP server span conventions
/// (<see href="https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server"/>), as a host with
/// traces exports it: a plain HTTP/1.1 request to 127.0.0.1 (what the tests' HttpClient sends).
/// </summary>
public static class HttpServerSpanAssert
{
    /// <summary>
    /// <paramref name="span"/> is ASP.NET Core's server span of <c>{method} {path}</c> on <paramref name="port"/>,
    /// named <c>{method} {route}</c> (the method alone when <paramref name="route"/> is <c>null</c>: nothing matched),
    /// answered <paramref name="statusCode"/>; its status is Error for a 5xx and unset otherwise.
    /// </summary>
    public static void Request(ReceivedSpan span, string method, string path, string? route, int statusCode, int port)
    {
        ArgumentNullException.ThrowIfNull(span);
        Assert.Equal(("Microsoft.AspNetCore", Span.Types.SpanKind.Server), (span.Scope.Name, span.Span.Kind));
        Assert.Equal(route is null ? method : $"{method} {route}", span.Span.Name);
        Assert.Equal(method, span.Attribute("http.request.method")?.StringValue);
        Assert.Equal(route, span.Attribute("http.route")?.StringValue);
        Assert.Equal(path, span.Attribute("url.path")?.StringValue);
        Assert.Equal("http", span.Attribute("url.scheme")?.StringValue);
        Assert.Equal(statusCode, span.Attribute("http.response.status_code")?.IntValue);
        Assert.Equal("127.0.0.1", span.Attribute("server.address")?.StringValue);
        Assert.Equal(port, span.Attribute("server.port")?.IntValue);
        Assert.Equal("1.1", span.Attribute("network.protocol.version")?.StringValue);
        var status = span.Span.Status?.Code ?? SpanStatus.Types.StatusCode.Unset;
        if (statusCode >= 500)
        {
            Assert.Equal(SpanStatus.Types.StatusCode.Error, status);
            Assert.NotNull(span.Attribute("error.type")?.StringValue);
        }
        else
        {
            Assert.Equal(SpanStatus.Types.StatusCode.Unset, status);
            Assert.Null(span.Attribute("error.type"));
        }
    }
}

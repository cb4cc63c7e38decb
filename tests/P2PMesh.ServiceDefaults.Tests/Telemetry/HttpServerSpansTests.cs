using System.Net;
using Microsoft.AspNetCore.Builder;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// <c>HttpServerSpans</c> (turned on by <see cref="TelemetryExtensions.AddTelemetry"/>): with traces, ASP.NET Core's
/// request span follows the OpenTelemetry HTTP server conventions (named <c>{method} {route}</c>, <c>http.*</c> and
/// <c>url.*</c> tags, Error for a 5xx).
/// </summary>
public sealed class HttpServerSpansTests
{
    [Fact]
    public async Task Request_MatchedRoute_NamedByMethodAndRouteWithHttpTags()
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TelemetryHost.StartAsync(Otlp.To(receiver));

        // Act
        Assert.Equal("done", await host.Client.GetStringAsync("/work?count=2"));
        await host.StopAsync();

        // Assert: the query string is in neither the name nor url.path.
        var request = Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        HttpServerSpanAssert.Request(request, "GET", "/work", "/work", 200, host.Client.BaseAddress!.Port);
        Assert.Equal(2, receiver.Spans.Count(s => s.Span.Name == TestWork.SpanName && s.ParentSpanId == request.SpanId));
    }

    [Fact]
    public async Task Request_NoRoute_NamedByMethodAloneAndNotAnError()
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TelemetryHost.StartAsync(Otlp.To(receiver));

        // Act
        using var response = await host.Client.GetAsync("/nowhere/42");
        await host.StopAsync();

        // Assert: a 4xx is the client's error, not the server's.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var request = Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        HttpServerSpanAssert.Request(request, "GET", "/nowhere/42", route: null, 404, host.Client.BaseAddress!.Port);
    }

    [Fact]
    public async Task Request_UnhandledException_NamedByRouteTemplateAndAnError()
    {
        // Arrange: Production, so no developer exception page turns the exception into a handled 500.
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TelemetryHost.StartAsync([.. Otlp.To(receiver), "--environment=Production"]);

        // Act
        using var response = await host.Client.GetAsync("/fail/boom");
        await host.StopAsync();

        // Assert: the template names the span (low cardinality), the path is the real one.
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var request = Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        HttpServerSpanAssert.Request(request, "GET", "/fail/boom", "/fail/{kind}", 500, host.Client.BaseAddress!.Port);
        Assert.Equal(typeof(InvalidOperationException).FullName, request.Attribute("error.type")!.StringValue);
        Assert.Equal("boom: failed on purpose", request.Span.Status.Message);
    }

    [Fact]
    public async Task Request_ExceptionHandled_StillNamedByTheRouteTheHandlerCleared()
    {
        // Arrange: the exception handler clears the endpoint before it answers (as the PClient-API's does).
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TelemetryHost.StartAsync(
            app => app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = _ => Task.CompletedTask }),
            Otlp.To(receiver));

        // Act
        using var response = await host.Client.GetAsync("/fail/handled");
        await host.StopAsync();

        // Assert: nothing escaped the pipeline, so the error is the status code.
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var request = Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        HttpServerSpanAssert.Request(request, "GET", "/fail/handled", "/fail/{kind}", 500, host.Client.BaseAddress!.Port);
        Assert.Equal("500", request.Attribute("error.type")!.StringValue);
    }
}

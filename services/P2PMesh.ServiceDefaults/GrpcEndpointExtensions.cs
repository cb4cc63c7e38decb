using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts.Tls;
using P2PMesh.ServiceDefaults.Deadlines;
using P2PMesh.ServiceDefaults.Marshalling;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.ServiceDefaults.Tls;

namespace P2PMesh.ServiceDefaults;

/// <summary>A gRPC service host on grpc-dotnet (docs/architecture.md, The gRPC stack).</summary>
public static class GrpcEndpointExtensions
{
    /// <summary>The largest request message a service accepts: 4 MiB (grpc-dotnet's default, kept on purpose; chunk messages are at most 512 KiB).</summary>
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>How often the health checks run for <c>grpc.health.v1.Health/Watch</c>: every 2 s, so a change is seen within 5 s.</summary>
    public static readonly TimeSpan HealthPublishPeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Serves gRPC on <paramref name="endpoint"/>, HTTP/2 only (<c>Protocols = Http2</c>), plaintext or, with
    /// <c>Tls:Enabled</c>, mutual TLS (<see cref="TlsExtensions.UseMeshTls"/>) plus the plaintext health-only
    /// <see cref="TlsOptions.ProbePort"/>: grpc-dotnet
    /// (<c>AddGrpc</c>, receive limit <see cref="MaxReceiveMessageSize"/>), <c>grpc.health.v1</c> driven by the host's
    /// health checks and server reflection (<c>grpc.reflection.v1</c> and <c>v1alpha</c>), mapped by
    /// <see cref="Extensions.MapDefaultEndpoints"/>. Health: the overall service <c>""</c> and each of
    /// <paramref name="servedServices"/> answer for the <see cref="HealthTags.Ready"/> checks, and
    /// <see cref="HealthTags.LivenessService"/> for the <see cref="HealthTags.Live"/> ones.
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="endpoint">Where to listen.</param>
    /// <param name="servedServices">The full names of the gRPC services the host serves, e.g. <c>p2pmesh.v1.Peer</c>.</param>
    /// <param name="configure">More grpc-dotnet options (tests: detailed errors).</param>
    /// <exception cref="FormatException"><see cref="IGrpcEndpointOptions.ListenAddress"/> is not an IP address.</exception>
    public static WebApplicationBuilder AddGrpcEndpoint(
        this WebApplicationBuilder builder, IGrpcEndpointOptions endpoint, IEnumerable<string> servedServices, Action<GrpcServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(servedServices);
        var address = IPAddress.Parse(endpoint.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Hosts without AddServiceDefaults (test doubles) serve plaintext.
            var tls = kestrel.ApplicationServices.GetService<MeshTls>() ?? MeshTls.Plaintext;
            kestrel.Listen(address, endpoint.GrpcPort, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                l.UseMeshTls(tls);
            });
            if (tls.Enabled && kestrel.ApplicationServices.GetRequiredService<IOptions<TlsOptions>>().Value.ProbePort is { } probePort)
            {
                kestrel.Listen(address, probePort, l =>
                {
                    l.Protocols = HttpProtocols.Http2;
                    l.MarkProbeListener();
                });
            }
        });
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageSize;
            // Deadlines end calls with trailers (not a reset), client cancellations are logged at debug.
            options.Interceptors.Add<CallDeadlineInterceptor>();
            configure?.Invoke(options);
        });
        // A request that does not parse ends INTERNAL, not UNKNOWN (docs/security.md, Malformed input).
        ParseGuardedMethodProvider.Replace(builder.Services);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map(string.Empty, r => r.Tags.Contains(HealthTags.Ready));
            foreach (var service in servedServices)
            {
                options.Services.Map(service, r => r.Tags.Contains(HealthTags.Ready));
            }
            options.Services.Map(HealthTags.LivenessService, r => r.Tags.Contains(HealthTags.Live));
        });
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.Zero;
            options.Period = HealthPublishPeriod;
        });
        builder.Services.AddSingleton<GrpcEndpointMarker>();
        return builder;
    }
}

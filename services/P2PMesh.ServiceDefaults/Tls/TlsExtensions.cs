using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Contracts.Tls;

namespace P2PMesh.ServiceDefaults.Tls;

/// <summary>
/// The mesh's mutual TLS in a host (docs/security.md, Transport): <see cref="MeshTls"/> from the <c>Tls</c> section as a
/// singleton for the gRPC clients, TLS with required client certificates on the gRPC port, and the plaintext probe port
/// (<see cref="TlsOptions.ProbePort"/>) that serves health only.
/// </summary>
public static class TlsExtensions
{
    private const string ProbeListenerKey = "p2pmesh.probe-listener";
    private const string HealthServicePrefix = "/grpc.health.v1.Health/";

    /// <summary>
    /// Registers <see cref="MeshTls"/>: loaded from the files of <see cref="TlsOptions"/> with <c>Tls:Enabled</c>, else
    /// <see cref="MeshTls.Plaintext"/>. Returns the validated settings.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Invalid <c>Tls</c> settings or missing files.</exception>
    /// <exception cref="InvalidOperationException">A file is not a PEM certificate or key, or the key is not the certificate's.</exception>
    public static TlsOptions AddMeshTls(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.AddValidatedOptions(TlsOptions.SectionName, new TlsOptionsValidator());
        MeshTls tls;
        try
        {
            tls = settings.Enabled ? MeshTls.Load(settings.CertificateFile!, settings.KeyFile!, settings.CaFile!) : MeshTls.Plaintext;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"Tls: cannot load {settings.CertificateFile}, {settings.KeyFile} and {settings.CaFile}: {ex.Message}", ex);
        }
        builder.Services.AddSingleton(tls);
        return settings;
    }

    /// <summary>
    /// With TLS on, makes <paramref name="listen"/> speak TLS 1.2/1.3 with <paramref name="tls"/>'s certificate and
    /// require a client certificate that chains to the mesh CAs (<see cref="MeshTls.IsTrustedClient"/>); a client
    /// without one fails the handshake. Nothing without TLS.
    /// </summary>
    public static void UseMeshTls(this ListenOptions listen, MeshTls tls)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(tls);
        if (!tls.Enabled)
        {
            return;
        }
        listen.UseHttps(https =>
        {
            https.ServerCertificate = tls.Certificate;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, chain, _) => tls.IsTrustedClient(certificate, chain);
        });
    }

    /// <summary>Marks <paramref name="listen"/> as the probe port: only <c>grpc.health.v1.Health</c> is served there (<see cref="UseProbePortFilter"/>).</summary>
    public static void MarkProbeListener(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            connection.Items[ProbeListenerKey] = true;
            return next(connection);
        });
    }

    /// <summary>
    /// Answers every request on the probe port but <c>grpc.health.v1.Health</c> with gRPC UNIMPLEMENTED (a trailers-only
    /// response), so the plaintext port exposes nothing of the mesh.
    /// </summary>
    public static WebApplication UseProbePortFilter(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            if (context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ProbeListenerKey) == true
                && !context.Request.Path.StartsWithSegments(HealthServicePrefix.TrimEnd('/'), StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = "12";
                context.Response.Headers["grpc-message"] = "the probe port serves only grpc.health.v1.Health";
                return Task.CompletedTask;
            }
            return next(context);
        });
        return app;
    }
}

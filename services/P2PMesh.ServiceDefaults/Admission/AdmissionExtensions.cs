using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace P2PMesh.ServiceDefaults.Admission;

/// <summary>Adds admission (docs/security.md, Admission) to a gRPC service host.</summary>
public static class AdmissionExtensions
{
    /// <summary>The authorization policy of the mesh's RPCs: an authenticated caller (a valid peer token).</summary>
    public const string AdmittedPeerPolicy = "AdmittedPeer";

    /// <summary>
    /// Binds <see cref="AdmissionOptions"/>, adds JwtBearer authentication that validates peer tokens
    /// (<see cref="PeerTokenFormat.ValidationParameters"/>, claims kept as the token names them) with the keys of
    /// <typeparamref name="TKeys"/> (a singleton), the <see cref="AdmittedPeerPolicy"/> policy and <see cref="CallerAdmission"/>.
    /// Map services with <see cref="RequireAdmission"/>.
    /// </summary>
    public static WebApplicationBuilder AddPeerAdmission<TKeys>(this WebApplicationBuilder builder)
        where TKeys : class, IPeerTokenKeys
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AdmissionOptions>().Bind(builder.Configuration.GetSection(AdmissionOptions.SectionName));
        builder.Services.AddSingleton<TKeys>();
        builder.Services.AddSingleton<IPeerTokenKeys>(sp => sp.GetRequiredService<TKeys>());
        builder.Services.AddSingleton<CallerAdmission>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // Authentication registers ASP.NET Core data protection, which bearer tokens never use: keep its key ring in memory
        // instead of writing one under $HOME (a read-only root file system in a pod) with a warning at every start.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IPeerTokenKeys>((options, keys) =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = PeerTokenFormat.ValidationParameters(keys);
                // Peers are not browsers: no WWW-Authenticate challenge dance, the gRPC status says it.
                options.Events = new JwtBearerEvents
                {
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        return WriteGrpcStatus(context.Response, 16, context.AuthenticateFailure is null
                            ? "a peer token is required (Admission:Required)"
                            : "the peer token is not valid: " + context.AuthenticateFailure.GetType().Name);
                    },
                    OnForbidden = context => WriteGrpcStatus(context.Response, 7, "the caller is not admitted"),
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdmittedPeerPolicy, policy => policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>
    /// With <see cref="AdmissionOptions.Required"/>, requires <see cref="AdmittedPeerPolicy"/> on every method of the
    /// mapped service except those marked <c>[AllowAnonymous]</c>.
    /// </summary>
    public static TBuilder RequireAdmission<TBuilder>(this TBuilder endpoints, IServiceProvider services)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetRequiredService<IOptions<AdmissionOptions>>().Value.Required)
        {
            endpoints.RequireAuthorization(AdmittedPeerPolicy);
        }
        return endpoints;
    }

    // A trailers-only gRPC response (HTTP 200, grpc-status in the headers), so every client reads the real status
    // (16 UNAUTHENTICATED, 7 PERMISSION_DENIED) and its message, not an HTTP error mapped to one.
    private static Task WriteGrpcStatus(HttpResponse response, int status, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}

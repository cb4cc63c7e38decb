using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2PMesh.Grpc;

namespace P2PMesh.ServiceDefaults;

/// <summary>Host setup every P2PMesh service shares.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to configuration section <paramref name="sectionName"/>,
    /// validates it with <paramref name="validator"/> at startup (ValidateOnStart), and also validates it
    /// now, returning the bound values, for settings that are needed before the host starts (endpoints).
    /// </summary>
    /// <exception cref="OptionsValidationException">The section holds invalid values.</exception>
    public static TOptions AddValidatedOptions<TOptions>(this WebApplicationBuilder builder, string sectionName, IValidateOptions<TOptions> validator)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
        builder.Services.AddSingleton(validator);
        var settings = builder.Configuration.GetSection(sectionName).Get<TOptions>() ?? new TOptions();
        var result = validator.Validate(Options.DefaultName, settings);
        if (result.Failed)
        {
            throw new OptionsValidationException(sectionName, typeof(TOptions), result.Failures);
        }
        return settings;
    }

    /// <summary>
    /// Serves gRPC on <paramref name="endpoint"/> (plaintext, HTTP/2 only: see
    /// <see cref="GrpcKestrelExtensions.ListenGrpcPlaintext"/>) with the gRPC server, health and reflection services registered.
    /// </summary>
    /// <exception cref="FormatException"><see cref="IGrpcEndpointOptions.ListenAddress"/> is not an IP address.</exception>
    public static WebApplicationBuilder AddGrpcEndpoint(this WebApplicationBuilder builder, IGrpcEndpointOptions endpoint)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(endpoint);
        var address = IPAddress.Parse(endpoint.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenGrpcPlaintext(address, endpoint.GrpcPort));
        builder.Services.AddMeshGrpc();
        return builder;
    }
}

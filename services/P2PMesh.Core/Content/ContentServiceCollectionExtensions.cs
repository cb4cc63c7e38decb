using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Content;

/// <summary>Registers the content index of the share (docs/architecture.md, Content store).</summary>
public static class ContentServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ContentIndex"/> (a singleton), <see cref="ContentIndexService"/> (a hosted service
    /// that keeps it current) and <see cref="ContentIndexOptions"/> bound from <paramref name="configuration"/>,
    /// validated by <see cref="ContentIndexOptionsValidator"/> when the host starts. Also adds
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// The <c>Content</c> section itself (<c>configuration.GetSection(ContentIndexOptions.SectionName)</c>);
    /// <c>null</c> binds the <c>Content</c> section of the host's <see cref="IConfiguration"/>.
    /// </param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddContentIndex(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ContentIndexOptions>();
        if (configuration is null)
        {
            builder.BindConfiguration(ContentIndexOptions.SectionName);
        }
        else
        {
            builder.Bind(configuration);
        }
        return AddCore(services);
    }

    /// <summary>
    /// Adds the content index like <see cref="AddContentIndex(IServiceCollection, IConfiguration?)"/>, with
    /// options set by <paramref name="configure"/> instead of configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (at least <see cref="ContentIndexOptions.ShareDirectory"/>).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddContentIndex(this IServiceCollection services, Action<ContentIndexOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ContentIndexOptions>().Configure(configure);
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.AddOptions<ContentIndexOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContentIndexOptions>, ContentIndexOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ContentIndex>();
        services.AddHostedService<ContentIndexService>();
        return services;
    }
}

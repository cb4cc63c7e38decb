using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Peers;

namespace P2PMesh.Core.Bus;

/// <summary>Registers the message bus (docs/architecture.md, Message bus) when <c>Mom:Uri</c> is set.</summary>
public static class MomServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="MomOptions"/> (section <c>Mom</c>, validated at startup by <see cref="MomOptionsValidator"/>) and,
    /// only when <see cref="MomOptions.Uri"/> is set, adds the process's <see cref="MomConnection"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The host's configuration (its <c>Mom</c> section is read).</param>
    /// <param name="clientName">The connection's name in the broker: the peer id, or the service's name.</param>
    /// <returns>Whether the bus is on (<c>Mom:Uri</c> is set).</returns>
    public static bool AddMomConnection(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string> clientName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(clientName);
        var section = configuration.GetSection(MomOptions.SectionName);
        services.AddOptions<MomOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MomOptions>, MomOptionsValidator>());
        if (!(section.Get<MomOptions>() ?? new MomOptions()).IsEnabled)
        {
            return false;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new MomConnection(
            sp.GetRequiredService<IOptions<MomOptions>>(), clientName(sp), sp.GetRequiredService<ILogger<MomConnection>>()));
        return true;
    }

    /// <summary>
    /// The PServer's bus, only when <c>Mom:Uri</c> is set: the <see cref="MomConnection"/> (named after the peer id),
    /// <see cref="IndexEventPublisher"/> and <see cref="MomSearchResponder"/> (hosted) and <see cref="IMomSearch"/>
    /// (<see cref="MomSearch"/>). Needs the <see cref="Content.ContentIndex"/> and an <see cref="ILocalPeer"/>. Without
    /// <c>Mom:Uri</c> only the options are bound, and <see cref="IMomSearch"/> is not registered.
    /// </summary>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMom(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.AddMomConnection(configuration, sp => sp.GetRequiredService<ILocalPeer>().Id))
        {
            return services;
        }
        services.AddSingleton<IndexEventPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<IndexEventPublisher>());
        services.AddSingleton<MomSearchResponder>();
        services.AddHostedService(sp => sp.GetRequiredService<MomSearchResponder>());
        services.AddSingleton<MomSearch>();
        services.AddSingleton<IMomSearch>(sp => sp.GetRequiredService<MomSearch>());
        return services;
    }
}

using P2PMesh.Core.Bus;

namespace P2PMesh.Bootstrap.Directory.Bus;

/// <summary>Registers the directory's bus consumer (docs/architecture.md, Message bus).</summary>
public static class IndexEventConsumerExtensions
{
    /// <summary>
    /// Binds <see cref="MomOptions"/> (section <c>Mom</c>) and, only when <c>Mom:Uri</c> is set, adds the broker
    /// connection (named <c>p2pmesh-directory</c>) and <see cref="IndexEventConsumer"/> (hosted), which applies events
    /// to the registered <see cref="IIndexEventSink"/>.
    /// </summary>
    /// <returns>Whether the bus is on.</returns>
    public static bool AddIndexEventConsumer(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.AddMomConnection(configuration, _ => "p2pmesh-directory"))
        {
            return false;
        }
        services.AddSingleton<IndexEventConsumer>();
        services.AddHostedService(sp => sp.GetRequiredService<IndexEventConsumer>());
        return true;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace P2PMesh.ServiceDefaults;

/// <summary>Options bound from configuration and validated when the host starts (docs/architecture.md, Options).</summary>
public static class OptionsExtensions
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
}

using Microsoft.Extensions.Options;

namespace P2PMesh.ServiceDefaults.Tls;

/// <summary>
/// Validates <see cref="TlsOptions"/>: the data annotations (generated at compile time) and, with
/// <see cref="TlsOptions.Enabled"/>, that the three files are named and exist.
/// </summary>
public sealed partial class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new Annotations().Validate(name, options));
        if (options.Enabled)
        {
            foreach (var (key, path) in new[] { ("CertificateFile", options.CertificateFile), ("KeyFile", options.KeyFile), ("CaFile", options.CaFile) })
            {
                if (string.IsNullOrWhiteSpace(path))
                {
                    builder.AddError($"Tls:{key} is required when Tls:Enabled is true");
                }
                else if (!File.Exists(path))
                {
                    builder.AddError($"Tls:{key} '{path}' does not exist");
                }
            }
        }
        else if (options.ProbePort is not null)
        {
            builder.AddError("Tls:ProbePort is only for Tls:Enabled=true (without TLS the gRPC port answers probes)");
        }
        return builder.Build();
    }

    [OptionsValidator]
    private sealed partial class Annotations : IValidateOptions<TlsOptions>;
}

using Microsoft.Extensions.Options;

namespace P2PMesh.Bootstrap;

/// <summary>
/// Validates <see cref="BootstrapOptions"/>: the data-annotation ranges and
/// <see cref="BootstrapOptions.Validate"/> (generated, no reflection).
/// </summary>
[OptionsValidator]
public sealed partial class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
}

using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Peers;

/// <summary>Validates <see cref="DirectoryClientOptions"/>: the data-annotation ranges and <see cref="DirectoryClientOptions.Validate"/> (generated).</summary>
[OptionsValidator]
public sealed partial class DirectoryClientOptionsValidator : IValidateOptions<DirectoryClientOptions>
{
}

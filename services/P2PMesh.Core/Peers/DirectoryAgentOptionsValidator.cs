using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Peers;

/// <summary>Validates <see cref="DirectoryAgentOptions"/>: the data-annotation ranges and <see cref="DirectoryAgentOptions.Validate"/> (generated).</summary>
[OptionsValidator]
public sealed partial class DirectoryAgentOptionsValidator : IValidateOptions<DirectoryAgentOptions>
{
}

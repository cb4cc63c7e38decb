using Microsoft.Extensions.Options;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// Validates <see cref="DirectoryOptions"/>: the data-annotation ranges and <see cref="DirectoryOptions.Validate"/>
/// (generated, no reflection).
/// </summary>
[OptionsValidator]
public sealed partial class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
}

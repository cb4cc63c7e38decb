using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Search;

/// <summary>Validates <see cref="DirectorySearchOptions"/> (<see cref="DirectorySearchOptions.Validate"/>) at startup; generated at compile time.</summary>
[OptionsValidator]
public sealed partial class DirectorySearchOptionsValidator : IValidateOptions<DirectorySearchOptions>;

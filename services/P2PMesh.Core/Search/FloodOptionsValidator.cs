using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Search;

/// <summary>Validates <see cref="FloodOptions"/> (data annotations and <see cref="FloodOptions.Validate"/>) at startup; generated at compile time.</summary>
[OptionsValidator]
public sealed partial class FloodOptionsValidator : IValidateOptions<FloodOptions>;

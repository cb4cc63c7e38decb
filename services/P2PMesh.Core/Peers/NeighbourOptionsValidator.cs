using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Peers;

/// <summary>Validates <see cref="NeighbourOptions"/> (data annotations and <see cref="NeighbourOptions.Validate"/>) at startup; generated at compile time.</summary>
[OptionsValidator]
public sealed partial class NeighbourOptionsValidator : IValidateOptions<NeighbourOptions>;

using Microsoft.Extensions.Options;

namespace P2PMesh.PClientApi;

/// <summary>Validates <see cref="PClientApiOptions"/> (data annotations and <see cref="PClientApiOptions.Validate"/>), generated at compile time.</summary>
[OptionsValidator]
public sealed partial class PClientApiOptionsValidator : IValidateOptions<PClientApiOptions>;

using Microsoft.Extensions.Options;

namespace P2PMesh.PServer.Limits;

/// <summary>Validates <see cref="RateLimitOptions"/> (data annotations), generated at compile time.</summary>
[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;

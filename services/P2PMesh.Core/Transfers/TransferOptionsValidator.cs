using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Transfers;

/// <summary>Validates <see cref="TransferOptions"/> (data annotations) at startup; generated at compile time.</summary>
[OptionsValidator]
public sealed partial class TransferOptionsValidator : IValidateOptions<TransferOptions>;

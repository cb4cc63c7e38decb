using Microsoft.Extensions.Options;

namespace P2PMesh.PServer;

/// <summary>Validates <see cref="PeerNodeOptions"/> (data annotations and <see cref="PeerNodeOptions.Validate"/>), generated at compile time.</summary>
[OptionsValidator]
public sealed partial class PeerNodeOptionsValidator : IValidateOptions<PeerNodeOptions>;

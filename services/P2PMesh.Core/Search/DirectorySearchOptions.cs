using System.ComponentModel.DataAnnotations;
using P2PMesh.Contracts;

namespace P2PMesh.Core.Search;

/// <summary>
/// Where a PServer's directory searches go (docs/architecture.md, Search modes; protos/p2pmesh/v1/directory.proto,
/// <c>PeerDirectory.Query</c>). Bound from the <c>Directory</c> configuration section; only <c>Directory:Address</c> is
/// read here (the secret settings belong to the directory login).
/// </summary>
public sealed class DirectorySearchOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Directory";

    /// <summary>The configuration key that names the directory, as error messages quote it.</summary>
    public const string AddressKey = "Directory:Address";

    /// <summary>
    /// The directory, <c>host:port</c>. <c>null</c> (the default) means the Bootstrap (<c>Neighbours:Bootstrap</c>),
    /// which serves the directory next to the Bootstrap service; with neither, no directory is configured.
    /// </summary>
    public string? Address { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Address) && !PeerAddress.TryParse(Address, out _, out var error))
        {
            yield return new ValidationResult($"Address: {error}.", [nameof(Address)]);
        }
    }
}

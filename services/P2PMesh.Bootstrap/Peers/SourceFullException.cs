namespace P2PMesh.Bootstrap.Peers;

/// <summary>
/// A Join refused because its source address already registered <see cref="BootstrapOptions.MaxPeersPerSource"/>
/// peers (docs/security.md, Sybil joins); the Bootstrap answers RESOURCE_EXHAUSTED.
/// </summary>
public sealed class SourceFullException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/>, which is at <paramref name="limit"/> peers.</summary>
    public SourceFullException(string source, int limit)
        : base($"{source} already registered {limit} peers (Bootstrap:MaxPeersPerSource)")
    {
        SourceAddress = source;
    }

    /// <summary>Creates the exception.</summary>
    public SourceFullException()
        : base("the source address already registered its most peers (Bootstrap:MaxPeersPerSource)")
    {
        SourceAddress = "unknown";
    }

    /// <summary>Creates the exception with a message.</summary>
    public SourceFullException(string message)
        : base(message)
    {
        SourceAddress = "unknown";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SourceFullException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceAddress = "unknown";
    }

    /// <summary>The source address, as text.</summary>
    public string SourceAddress { get; }
}

namespace P2PMesh.Cli.Api;

/// <summary>The PClient-API could not be reached (refused, unresolvable, reset) or did not answer in time.</summary>
internal sealed class ApiUnreachableException(Uri api, string reason, Exception? innerException = null)
    : Exception($"cannot reach the PClient-API at {api}: {reason}", innerException)
{
    /// <summary>The API's base address.</summary>
    public Uri Api { get; } = api;

    /// <summary>What went wrong, in a few words.</summary>
    public string Reason { get; } = reason;
}

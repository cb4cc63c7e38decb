namespace P2PMesh.Core.Peers;

/// <summary>
/// This process's current peer token (docs/security.md, Admission), written by <see cref="PeerTokenSource"/> and sent
/// by <see cref="BearerTokenHandler"/> on every mesh call. No token (no directory or no secret configured, or none
/// issued yet) means calls go without one. Thread-safe.
/// </summary>
public sealed class PeerTokenHolder
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _token;

    /// <summary>The current token (a compact JWT), or <c>null</c>.</summary>
    public string? Token => Volatile.Read(ref _token);

    /// <summary>Whether a <see cref="PeerTokenSource"/> is fetching tokens for this process (a secret and a directory are configured).</summary>
    public bool Expected { get; internal set; }

    /// <summary>Replaces the token.</summary>
    public void Set(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        Volatile.Write(ref _token, token);
        _first.TrySetResult();
    }

    /// <summary>
    /// Waits until a first token is held, when one is <see cref="Expected"/>, for at most <paramref name="patience"/>;
    /// returns at once otherwise. Whether a token is held afterwards.
    /// </summary>
    public async Task<bool> WaitForFirstAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        if (Expected && Token is null)
        {
            try
            {
                await _first.Task.WaitAsync(patience, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        return Token is not null;
    }
}

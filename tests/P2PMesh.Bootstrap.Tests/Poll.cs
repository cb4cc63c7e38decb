namespace P2PMesh.Bootstrap.Tests;

/// <summary>Waits for a condition by polling, so timing tests assert on outcomes, not on sleeps.</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every 25 ms; true as soon as it holds, false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(25);
        }
    }
}

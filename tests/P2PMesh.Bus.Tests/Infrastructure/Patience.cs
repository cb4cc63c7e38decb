namespace P2PMesh.Bus.Tests.Infrastructure;

/// <summary>How long a test waits for something that must happen (not a timing assertion: a cap that ends a broken test).</summary>
internal static class Patience
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <see cref="Default"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>As <see cref="UntilAsync(Func{bool}, string)"/>, for a condition that has to ask the broker.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var patience = new CancellationTokenSource(Default);
        while (!await condition())
        {
            try
            {
                await Task.Delay(20, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up after {Default.TotalSeconds:0} s waiting for {what}.");
            }
        }
    }
}

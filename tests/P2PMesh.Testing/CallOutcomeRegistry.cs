using System.Collections.Concurrent;
using Grpc.Core;
using P2PMesh.Testing.V1;

namespace P2PMesh.Testing;

/// <summary>
/// Remembers how each named Echo call ended as its handler saw it, so a test can prove that a client's
/// cancellation or deadline reached the server (Echo.GetCallOutcome).
/// </summary>
public sealed class CallOutcomeRegistry
{
    private static readonly TimeSpan DeadlineTolerance = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, Entry> _calls = new(StringComparer.Ordinal);

    /// <summary>Marks <paramref name="callId"/> running; disposing the result records how it ended.</summary>
    public IDisposable Track(string callId, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(callId))
        {
            return new Tracker(null, context);
        }
        var entry = _calls.AddOrUpdate(callId, _ => new Entry(), (_, _) => new Entry());
        return new Tracker(entry, context);
    }

    /// <summary>The outcome of <paramref name="callId"/>, waiting up to <paramref name="wait"/> for it to end.</summary>
    public async Task<CallOutcome> GetAsync(string callId, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!_calls.TryGetValue(callId, out var entry))
        {
            return new CallOutcome { State = CallOutcome.Types.State.Unknown };
        }
        try
        {
            await entry.Ended.Task.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new CallOutcome { State = CallOutcome.Types.State.Running };
        }
        return entry.Ended.Task.Result;
    }

    private sealed class Entry
    {
        public TaskCompletionSource<CallOutcome> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Tracker(Entry? entry, ServerCallContext context) : IDisposable
    {
        public void Dispose()
        {
            var cancelled = context.CancellationToken.IsCancellationRequested;
            entry?.Ended.TrySetResult(new CallOutcome
            {
                State = cancelled ? CallOutcome.Types.State.Cancelled : CallOutcome.Types.State.Completed,
                // Timers may fire a little before the wall clock reaches the deadline.
                DeadlineExceeded = cancelled && context.Deadline != DateTime.MaxValue && DateTime.UtcNow >= context.Deadline - DeadlineTolerance,
            });
        }
    }
}

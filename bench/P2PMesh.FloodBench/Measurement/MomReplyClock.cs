using System.Collections.Concurrent;
using System.Diagnostics;

namespace P2PMesh.FloodBench.Measurement;

/// <summary>
/// When each MOM search's messages reached their consumers, seen from inside this process (every PServer runs here):
/// RabbitMQ.Client 7 wraps every delivery it hands to a consumer in a <c>deliver</c> activity (source <c>RabbitMQ.Client.Subscriber</c>) for every delivery it
/// hands to a consumer, tagged with the message's <c>correlation_id</c> (<c>messaging.message.conversation_id</c>, the
/// query id in lowercase hex for both the request and its replies) and the exchange it came through
/// (<c>messaging.destination.name</c>); it stops when the consumer has handled the delivery. A delivery from the search
/// fanout is the request reaching one responder; any other is a reply reaching the origin's reply queue, and its stop is
/// the moment <c>MomSearch</c> has collected it. The search itself
/// only returns its hits at its deadline, so this is the one place the last reply's arrival can be observed.
/// </summary>
internal sealed class MomReplyClock : IDisposable
{
    private const string SearchExchange = "p2pmesh.search";
    private readonly ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;

    public MomReplyClock()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "RabbitMQ.Client.Subscriber",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // The client tags the activity after starting it, so read it when it stops: right after the consumer ran,
            // which for a reply is MomSearch's collector adding it.
            ActivityStopped = Delivered,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Starts tallying the deliveries of the search with this correlation id (call before publishing it).</summary>
    public void Expect(string correlationId) => _tallies[correlationId] = new Tally();

    /// <summary>
    /// Stops tallying <paramref name="correlationId"/>: the request deliveries (responders reached), the replies that
    /// reached the origin, and the <see cref="Stopwatch"/> timestamp of the last reply (0 when none arrived).
    /// </summary>
    public (int Requests, int Replies, long LastReply) Take(string correlationId) =>
        _tallies.TryRemove(correlationId, out var tally) ? tally.Snapshot() : (0, 0, 0);

    public void Dispose() => _listener.Dispose();

    private void Delivered(Activity activity)
    {
        var now = Stopwatch.GetTimestamp();
        if (activity.GetTagItem("messaging.message.conversation_id") is string id && _tallies.TryGetValue(id, out var tally))
        {
            tally.Add(activity.GetTagItem("messaging.destination.name") as string == SearchExchange, now);
        }
    }

    private sealed class Tally
    {
        private readonly Lock _lock = new();
        private int _requests;
        private int _replies;
        private long _lastReply;

        public void Add(bool request, long timestamp)
        {
            lock (_lock)
            {
                if (request)
                {
                    _requests++;
                }
                else
                {
                    _replies++;
                    _lastReply = Math.Max(_lastReply, timestamp);
                }
            }
        }

        public (int, int, long) Snapshot()
        {
            lock (_lock)
            {
                return (_requests, _replies, _lastReply);
            }
        }
    }
}

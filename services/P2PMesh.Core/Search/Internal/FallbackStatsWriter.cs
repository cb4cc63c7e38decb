using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Core.Search.Internal;

/// <summary>
/// The caller's stream for an AUTO search that fell back to a flood (docs/architecture.md, Search modes): every event
/// passes through unchanged but the origin's final <see cref="FloodStats"/>, which gets <c>answered_by = FLOOD</c>, the
/// fallback reason, and the messages spent on the directory added to the flood's.
/// </summary>
internal sealed class FallbackStatsWriter(IServerStreamWriter<SearchEvent> inner, uint directoryMessages, string fallbackReason)
    : IServerStreamWriter<SearchEvent>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(SearchEvent message) => inner.WriteAsync(Rewrite(message));

    public Task WriteAsync(SearchEvent message, CancellationToken cancellationToken) => inner.WriteAsync(Rewrite(message), cancellationToken);

    private SearchEvent Rewrite(SearchEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.EventCase != SearchEvent.EventOneofCase.Stats)
        {
            return message;
        }
        var stats = message.Stats.Clone();
        stats.Messages += directoryMessages;
        stats.AnsweredBy = SearchRequest.Types.Via.Flood;
        stats.FallbackReason = fallbackReason;
        return new SearchEvent { Stats = stats };
    }
}

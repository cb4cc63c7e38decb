using P2PMesh.FloodBench.Results;
using P2PMesh.V1;

namespace P2PMesh.FloodBench.Modes;

/// <summary>
/// One mode's summary over its timed searches (one JSON line, one row of the side-by-side table). Times are the
/// client's, in milliseconds from starting the call (<see cref="Timing"/>: median, p90, p95 nearest rank, min, max).
/// </summary>
/// <param name="Mode"><c>flood</c>, <c>directory</c> or <c>mom</c>.</param>
/// <param name="Ttl">The requests' TTL (only a flood uses it).</param>
/// <param name="DeadlineMs">The client's deadline: the MOM deadline for MOM, the hang guard otherwise.</param>
/// <param name="Runs">Timed searches.</param>
/// <param name="FailedRuns">Searches that failed or ended without statistics.</param>
/// <param name="AnsweredByOther">Searches whose <c>FloodStats.answered_by</c> was not this mode.</param>
/// <param name="MessagesMean">Mean of <c>FloodStats.messages</c>: forwards (flood), 1 (directory), 1 + replies (mom).</param>
/// <param name="MessagesMin">Smallest <c>messages</c> of a run.</param>
/// <param name="MessagesMax">Largest <c>messages</c> of a run.</param>
/// <param name="Hits">Hit events received, over all runs.</param>
/// <param name="ExpectedHits">(holder, file) pairs the runs' patterns match, over all runs.</param>
/// <param name="HitsMissedByFailedRuns">Expected hits of the failed runs that they did not deliver (a failed call's hits are lost).</param>
/// <param name="RunsWithAllHits">Runs that received exactly the expected hits.</param>
/// <param name="Answer">Call start → end of the stream (the statistics and the status received): the time to answer.</param>
/// <param name="FirstHit">Call start → first <c>Hit</c> event.</param>
/// <param name="LastHit">Call start → last <c>Hit</c> event.</param>
/// <param name="LastReply">MOM: call start → the last reply's delivery at the origin's reply queue; <c>null</c> for other modes.</param>
/// <param name="MomRequestsMean">MOM: mean deliveries of the request to the peers' queues (the fanout); <c>null</c> for other modes.</param>
/// <param name="MomRepliesMean">MOM: mean replies delivered to the origin; <c>null</c> for other modes.</param>
/// <param name="Failures">Distinct failure messages.</param>
internal sealed record ModeRow(
    string Mode,
    int Ttl,
    double DeadlineMs,
    int Runs,
    int FailedRuns,
    int AnsweredByOther,
    double MessagesMean,
    uint MessagesMin,
    uint MessagesMax,
    int Hits,
    int ExpectedHits,
    int HitsMissedByFailedRuns,
    int RunsWithAllHits,
    Timing? Answer,
    Timing? FirstHit,
    Timing? LastHit,
    Timing? LastReply,
    double? MomRequestsMean,
    double? MomRepliesMean,
    IReadOnlyList<string> Failures)
{
    public static ModeRow From(SearchRequest.Types.Via mode, int ttl, TimeSpan momDeadline, IReadOnlyList<ModeSample> samples)
    {
        var ok = samples.Where(s => s.Sample.Stats is not null).ToList();
        var messages = ok.Select(s => s.Sample.Stats!.Messages).DefaultIfEmpty(0u).ToList();
        var mom = mode == SearchRequest.Types.Via.Mom;
        return new ModeRow(
            mode.ToString().ToLowerInvariant(),
            ttl,
            mom ? momDeadline.TotalMilliseconds : 30_000,
            samples.Count,
            samples.Count - ok.Count,
            // answered_by unset means FLOOD (peer.proto).
            ok.Count(s => (s.Sample.Stats!.AnsweredBy is SearchRequest.Types.Via.Unspecified ? SearchRequest.Types.Via.Flood : s.Sample.Stats.AnsweredBy) != mode),
            ok.Count == 0 ? 0 : Math.Round(ok.Average(s => (double)s.Sample.Stats!.Messages), 2),
            messages.Min(),
            messages.Max(),
            samples.Sum(s => s.Sample.Hits),
            samples.Sum(s => s.ExpectedHits),
            samples.Where(s => s.Sample.Stats is null).Sum(s => Math.Max(0, s.ExpectedHits - s.Sample.Hits)),
            ok.Count(s => s.Sample.Hits == s.ExpectedHits),
            Timing.Of(ok.Select(s => s.Sample.LastEvent)),
            Timing.Of(ok.Where(s => s.Sample.FirstHit is not null).Select(s => s.Sample.FirstHit!.Value)),
            Timing.Of(ok.Where(s => s.Sample.LastHit is not null).Select(s => s.Sample.LastHit!.Value)),
            mom ? Timing.Of(ok.Where(s => s.LastReply is not null).Select(s => s.LastReply!.Value)) : null,
            mom && ok.Count > 0 ? Math.Round(ok.Average(s => s.MomRequests ?? 0), 2) : null,
            mom && ok.Count > 0 ? Math.Round(ok.Average(s => s.MomReplies ?? 0), 2) : null,
            [.. samples.Select(s => s.Sample.Error?.TrimEnd(' ', ':')).OfType<string>().Distinct()]);
    }
}

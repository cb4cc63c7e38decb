using P2PMesh.FloodBench.Measurement;
using P2PMesh.V1;

namespace P2PMesh.FloodBench.Modes;

/// <summary>One timed search of the side-by-side run: which mode, which query, what the client saw and, for MOM, the broker's deliveries.</summary>
/// <param name="Mode">The request's <c>via</c>.</param>
/// <param name="Run">The round: every mode runs the same (origin, pattern) in the same round.</param>
/// <param name="Pattern">The searched pattern.</param>
/// <param name="ExpectedHits">The (holder, file) pairs the pattern matches on the mesh.</param>
/// <param name="Sample">What the client saw (times from the call's start, hits, the origin's <c>FloodStats</c>).</param>
/// <param name="MomRequests">MOM: deliveries of the request to responders' queues (<see cref="MomReplyClock"/>); otherwise <c>null</c>.</param>
/// <param name="MomReplies">MOM: replies that reached the origin's reply queue; otherwise <c>null</c>.</param>
/// <param name="LastReply">MOM: time from the call's start to the last reply's delivery at the origin; <c>null</c> otherwise or when none arrived.</param>
internal sealed record ModeSample(
    SearchRequest.Types.Via Mode,
    int Run,
    string Pattern,
    int ExpectedHits,
    FloodSample Sample,
    int? MomRequests,
    int? MomReplies,
    TimeSpan? LastReply);

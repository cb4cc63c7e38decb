using P2PMesh.V1;

namespace P2PMesh.FloodBench.Measurement;

/// <summary>
/// One search as its client saw it: times from the call's start (client-side, <see cref="System.Diagnostics.Stopwatch"/>),
/// the origin's final statistics and, for an explained search, every edge of the flood.
/// </summary>
/// <param name="Origin">Index of the peer the search entered through.</param>
/// <param name="Ttl">The client's TTL.</param>
/// <param name="FirstHit">Time to the first <c>Hit</c> event; <c>null</c> when nothing was found.</param>
/// <param name="LastHit">Time to the last <c>Hit</c> event; <c>null</c> when nothing was found.</param>
/// <param name="LastEvent">Time to the end of the response stream (status received).</param>
/// <param name="Hits">Hit events received.</param>
/// <param name="Stats">The origin's <c>FloodStats</c>; <c>null</c> when the call failed.</param>
/// <param name="Edges">The <c>Edge</c> events (explained searches only).</param>
/// <param name="Error">The failure (status and detail) of a failed call.</param>
internal sealed record FloodSample(
    int Origin,
    int Ttl,
    TimeSpan? FirstHit,
    TimeSpan? LastHit,
    TimeSpan LastEvent,
    int Hits,
    FloodStats? Stats,
    IReadOnlyList<Edge> Edges,
    string? Error);

using P2PMesh.V1;

namespace P2PMesh.Core.Bus;

/// <summary>What a <see cref="IMomSearch"/> collected: every hit of every answer, and how many answers arrived.</summary>
/// <param name="Hits">The holders' hits (holder = the answering peer, hops 0).</param>
/// <param name="Replies">Answers received before the deadline (one per answering peer).</param>
public sealed record MomSearchResult(IReadOnlyList<Hit> Hits, int Replies);

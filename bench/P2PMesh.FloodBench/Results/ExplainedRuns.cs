namespace P2PMesh.FloodBench.Results;

/// <summary>
/// The untimed explained searches of a (N, TTL): how many matched the breadth-first prediction, how
/// many matched the flood rule along the tree they actually took, and how many peers were first
/// reached late (over a longer path than the shortest).
/// </summary>
internal sealed record ExplainedRuns(int Runs, int MatchingTheory, int MatchingRealisedTree, double LateArrivalsMean, int LateArrivalsMax);

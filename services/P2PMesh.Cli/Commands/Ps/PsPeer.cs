namespace P2PMesh.Cli.Commands.Ps;

/// <summary>A peer of a local mesh in <c>p2pmesh ps</c>: its id, share directory, PServer and PClient-API.</summary>
internal sealed record PsPeer(string Id, string Share, PsProcess Pserver, PsProcess Api);

namespace P2PMesh.Cli.Commands.Ps;

/// <summary>
/// One process of a local mesh in <c>p2pmesh ps</c>: its name (<c>bootstrap</c>, <c>peer-N/pserver</c>,
/// <c>peer-N/api</c>), its address (a URL, or <c>host:port</c> for a PServer), its pid from the state file
/// (<c>null</c> if the state lists none) and whether a process with that pid runs now.
/// </summary>
internal sealed record PsProcess(string Name, string Address, int? Pid, bool Alive);

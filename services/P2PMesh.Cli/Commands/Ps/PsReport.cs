using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Commands.Ps;

/// <summary>
/// What <c>p2pmesh ps --json</c> prints (camelCase, <see cref="CliJsonContext"/>; a <c>null</c> is left out): the
/// mesh <c>directory</c>; <c>running</c>, whether an <c>up</c> holds it now; <c>pid</c> of that <c>up</c> (or of the
/// dead one that left its state; absent if none is known) and <c>upAlive</c>; the <c>stateFile</c> looked at;
/// and, once the state exists, the <c>bootstrap</c> and every peer (<see cref="PsPeer"/>) with their addresses,
/// pids and liveness (no <c>bootstrap</c> and no <c>peers</c> before that). Shape: services/P2PMesh.Cli/README.md, <c>ps</c>.
/// </summary>
internal sealed record PsReport(string Directory, bool Running, int? Pid, bool UpAlive, string StateFile, PsProcess? Bootstrap, IReadOnlyList<PsPeer> Peers)
{
    /// <summary>The report of <paramref name="snapshot"/>, with each pid checked now (<see cref="PosixSignals.IsAlive"/>).</summary>
    public static PsReport From(MeshSnapshot snapshot)
    {
        var state = snapshot.State;
        var pids = (state?.Processes ?? []).ToDictionary(p => p.Name, p => p.Pid, StringComparer.Ordinal);
        PsProcess Process(string name, string address)
        {
            int? pid = pids.TryGetValue(name, out var found) ? found : null;
            return new PsProcess(name, address, pid, pid is { } p && PosixSignals.IsAlive(p));
        }
        return new PsReport(
            snapshot.Directory.Path,
            snapshot.Running,
            snapshot.UpPid,
            snapshot.UpPid is { } up && PosixSignals.IsAlive(up),
            snapshot.StateFile,
            state is null ? null : Process(MeshStateProcess.BootstrapName, state.Bootstrap),
            state is null ? [] : [.. state.Peers.Select(p => new PsPeer(p.Id, p.Share, Process(MeshStateProcess.PServerName(p.Id), p.Pserver), Process(MeshStateProcess.ApiName(p.Id), p.Api)))]);
    }

    /// <summary>Every process, the bootstrap first, then each peer's PServer and API.</summary>
    public IEnumerable<PsProcess> Processes() =>
        (Bootstrap is null ? [] : new[] { Bootstrap }).Concat(Peers.SelectMany(p => new[] { p.Pserver, p.Api }));
}

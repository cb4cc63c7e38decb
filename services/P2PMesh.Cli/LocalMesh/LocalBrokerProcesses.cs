namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// What <c>up</c>'s <c>Watchdog</c> stops after the children when <c>up</c> is killed with SIGKILL: the
/// <c>--mom local</c> broker's OS processes, its own epmd and its temporary directory (see <c>LocalBroker</c>).
/// </summary>
/// <param name="Pids">The <c>rabbitmq-server</c> script and the Erlang VM (<c>beam.smp</c>) named in its pid file.</param>
/// <param name="EpmdPort">The port of the node's own epmd (<c>ERL_EPMD_PORT</c>), stopped with <c>epmd -port N -kill</c>.</param>
/// <param name="Directory">The node's temporary directory, deleted last.</param>
internal sealed record LocalBrokerProcesses(IReadOnlyList<int> Pids, int EpmdPort, string Directory);

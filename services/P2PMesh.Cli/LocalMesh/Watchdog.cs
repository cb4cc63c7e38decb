using System.Diagnostics;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// Covers the one case the launcher's own cleanup cannot: <c>up</c> killed with SIGKILL (or crashing in
/// native code). A small <c>/bin/sh</c> loop, started with the pid of <c>up</c> and the path of a file
/// listing the children's pids, polls once a second; when <c>up</c> is gone it sends the listed
/// children SIGTERM, then SIGKILL 5 seconds later. With a <c>--mom local</c> broker it then stops that too:
/// SIGTERM to its pids (SIGKILL 15 seconds later), <c>epmd -port N -kill</c> for its own epmd, and deletes its
/// directory. A clean stop empties the file and kills the watchdog first (the broker is then stopped by <c>up</c>).
/// Not on Windows (no /bin/sh); there a hard-killed <c>up</c> leaves its children running.
/// </summary>
internal static class Watchdog
{
    // $1 up's pid, $2 the children's pid file; with a local broker $3 its pids, $4 its epmd port, $5 its directory.
    // alive: kill -0, and on Linux not a zombie (an unreaped `up` still answers kill -0).
    // stop PIDS ROUNDS: SIGTERM, then SIGKILL to those left after ROUNDS half-seconds.
    private const string Script = """
        trap '' INT HUP
        trap 'rm -f "$2"' EXIT
        alive() {
          kill -0 "$1" 2>/dev/null || return 1
          [ -r "/proc/$1/stat" ] || return 0
          [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
        }
        stop() {
          [ -n "$1" ] || return 0
          kill -TERM $1 2>/dev/null
          i=0
          while [ $i -lt "$2" ]; do
            left=""
            for p in $1; do alive "$p" && left="$left $p"; done
            [ -n "$left" ] || return 0
            sleep 0.5
            i=$((i+1))
          done
          kill -KILL $left 2>/dev/null
        }
        while alive "$1"; do sleep 1; done
        stop "$(cat "$2" 2>/dev/null)" 10
        [ -n "$3" ] || exit 0
        stop "$3" 30
        epmd -port "$4" -kill >/dev/null 2>&1
        [ -d "$5" ] && rm -rf "$5"
        exit 0
        """;

    /// <param name="parentPid">The pid of <c>up</c>.</param>
    /// <param name="pidFile">The file listing the children's pids (read once <c>up</c> is gone).</param>
    /// <param name="broker">The <c>--mom local</c> broker to stop after the children, or <c>null</c>.</param>
    /// <returns>The watchdog, or <c>null</c> where there is none (Windows, no /bin/sh).</returns>
    public static Process? Start(int parentPid, string pidFile, LocalBrokerProcesses? broker = null)
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            return null;
        }
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        string[] arguments = ["-c", Script, "p2pmesh-watchdog", parentPid.ToString(invariant), pidFile];
        if (broker is not null)
        {
            arguments = [.. arguments, string.Join(' ', broker.Pids.Select(p => p.ToString(invariant))), broker.EpmdPort.ToString(invariant), broker.Directory];
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            var process = Process.Start(info);
            process?.StandardInput.Close();
            return process;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

namespace P2PMesh.Cli;

/// <summary>What <c>p2pmesh</c> exits with (docs/architecture.md, CLI).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Not found, no sources, a failed transfer, or any other refusal by the mesh.</summary>
    public const int Failure = 1;

    /// <summary>The command line (or the API, with 400) says the request is malformed.</summary>
    public const int Usage = 2;

    /// <summary>The PClient-API cannot be reached, or did not answer in time.</summary>
    public const int Unreachable = 3;

    /// <summary>
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it; System.CommandLine cancels alike on both):
    /// every command, <c>up</c> too, for which a signal (SIGHUP as well) is the usual way to end.
    /// </summary>
    public const int Cancelled = 130;
}

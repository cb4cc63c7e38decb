namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>What a CLI run printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}--- stdout:{Environment.NewLine}{Out}--- stderr:{Environment.NewLine}{Error}";
}

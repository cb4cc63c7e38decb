using System.CommandLine;
using P2PMesh.Cli.Api;

namespace P2PMesh.Cli.Commands;

/// <summary>
/// Runs a client verb against the PClient-API named by <c>--api</c> / <c>$P2PMESH_API</c>, and turns the
/// ways it can fail into one stderr line and an exit code: unreachable → 3; a problem from the API →
/// its title and detail, 2 for 400 (the request was malformed) and 1 otherwise; Ctrl-C → 130; and, as a last
/// resort, a local file the user named that cannot be read or written (no access, a directory, the disk full) →
/// its message, 1. Arguments are checked at parse time where they can be (exit 2, see the command definitions).
/// </summary>
internal static class ApiCommandRunner
{
    public static async Task<int> RunAsync(
        ParseResult parseResult, Option<Uri?> apiOption, Func<PClientApiClient, CliConsole, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var console = CliConsole.For(parseResult);
        Uri api;
        try
        {
            api = ApiEndpoint.Resolve(parseResult.GetValue(apiOption), Environment.GetEnvironmentVariable);
        }
        catch (FormatException e)
        {
            console.WriteError(e.Message);
            return ExitCodes.Usage;
        }

        using var client = new PClientApiClient(api, token: Environment.GetEnvironmentVariable(PClientApiClient.TokenVariable));
        try
        {
            return await body(client, console, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiUnreachableException e)
        {
            console.WriteError($"cannot reach the PClient-API at {e.Api} ({e.Reason}).");
            console.WriteHint($"Start a mesh with `p2pmesh up`, or point --api or ${ApiEndpoint.EnvironmentVariable} at a running PClient-API.");
            return ExitCodes.Unreachable;
        }
        catch (ApiProblemException e)
        {
            WriteProblem(console, e);
            return e.Status == 400 ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteError("cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // e.g. "Access to the path '/root/x' is denied.", "No space left on device : '/tmp/got/x.iso.part'".
            console.WriteError(e.Message);
            return ExitCodes.Failure;
        }
    }

    public static void WriteProblem(CliConsole console, ApiProblemException e)
    {
        var problem = e.Problem;
        var title = problem.Title ?? $"HTTP {e.Status}";
        console.WriteError(string.IsNullOrWhiteSpace(problem.Detail) ? $"{title} ({e.Status})" : $"{title} ({e.Status}): {problem.Detail}");
        foreach (var (field, messages) in problem.Errors ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                console.WriteHint($"  {field}: {message}");
            }
        }
    }
}

using System.CommandLine;
using System.Security.Cryptography;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.Cli.Rendering;

namespace P2PMesh.Cli.Commands.Put;

/// <summary>
/// Hashes the file (streamed), then streams it to <c>POST /api/uploads</c> with its SHA-256, which the
/// receiving PServer verifies before it renames the file into its share.
/// </summary>
internal sealed class PutCommand(ParseResult parseResult)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, PutCommandDefinition.ApiOption, RunAsync, cancellationToken);

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var file = parseResult.GetRequiredValue(PutCommandDefinition.FileArgument);
        var name = parseResult.GetValue(PutCommandDefinition.NameOption) ?? file.Name;
        var to = parseResult.GetValue(PutCommandDefinition.ToOption);
        var length = file.Length;

        var sha256 = await TransferProgress.RunAsync(console, $"hash {file.Name}", length, async progress =>
        {
            await using var stream = new ProgressStream(OpenRead(file), progress.Report);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        });

        var result = await TransferProgress.RunAsync(console, $"put {name}", length, async progress =>
        {
            await using var stream = new ProgressStream(OpenRead(file), progress.Report);
            return await api.UploadAsync(stream, length, name, sha256, to, cancellationToken);
        });

        if (parseResult.GetValue(PutCommandDefinition.JsonOption))
        {
            await console.Out.WriteLineAsync(result.Json.AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }
        var stored = result.Value;
        console.Ansi.MarkupLineInterpolated(
            $"Stored [bold]{stored.File.Name}[/] ({Format.Bytes(stored.File.Size)}, {stored.Chunks} chunk{(stored.Chunks == 1 ? "" : "s")}, sha256 {Format.ShortHash(stored.File.Sha256)}) at {stored.Peer}");
        return ExitCodes.Success;
    }

    private static FileStream OpenRead(FileInfo file) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
}

using Spectre.Console;
using Spectre.Console.Rendering;

namespace P2PMesh.Cli.Rendering;

/// <summary>
/// A progress column with the bytes done and the total in the tables' binary units (<see cref="Format.Bytes"/>:
/// "17.5 MiB/200 MiB"), instead of Spectre's <see cref="DownloadedColumn"/>, whose units are not the tables'.
/// </summary>
internal sealed class BytesDoneColumn : ProgressColumn
{
    /// <summary>"done/total", or just "done" while the total is not known.</summary>
    public static string Describe(double done, double? total) =>
        total is { } t ? $"{Format.Bytes(done)}/{Format.Bytes(t)}" : Format.Bytes(done);

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(Describe(task.Value, task.IsIndeterminate ? null : task.MaxValue));
}

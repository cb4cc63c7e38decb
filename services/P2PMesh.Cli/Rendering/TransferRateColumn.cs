using Spectre.Console;
using Spectre.Console.Rendering;

namespace P2PMesh.Cli.Rendering;

/// <summary>
/// A progress column with the transfer rate in the tables' binary units (<see cref="Format.Bytes"/> per second:
/// "12.3 MiB/s"), instead of Spectre's <see cref="TransferSpeedColumn"/>, whose units are not the tables'.
/// </summary>
internal sealed class TransferRateColumn : ProgressColumn
{
    /// <summary>"12.3 MiB/s"; empty while no rate is known yet.</summary>
    public static string Describe(double? bytesPerSecond) => bytesPerSecond is { } rate ? $"{Format.Bytes(rate)}/s" : "";

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(Describe(task.Speed), Style.Plain);
}

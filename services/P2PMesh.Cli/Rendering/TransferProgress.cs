using Spectre.Console;

namespace P2PMesh.Cli.Rendering;

/// <summary>A live progress bar (bytes, percentage, rate, time left; sizes in the tables' binary units, <see cref="Format.Bytes"/>) on stderr while some work moves bytes.</summary>
internal static class TransferProgress
{
    /// <summary>
    /// Runs <paramref name="work"/>, which reports the bytes done so far through the action it is given,
    /// with a bar of <paramref name="totalBytes"/> (null: not known yet) when stderr is a terminal.
    /// </summary>
    public static async Task<T> RunAsync<T>(CliConsole console, string description, long? totalBytes, Func<ProgressReporter, Task<T>> work)
    {
        if (!console.CanShowProgress)
        {
            return await work(new ProgressReporter(null)).ConfigureAwait(false);
        }
        return await console.AnsiError.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new BytesDoneColumn(),
                new TransferRateColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, totalBytes ?? 1));
                task.IsIndeterminate = totalBytes is null;
                var result = await work(new ProgressReporter(task)).ConfigureAwait(false);
                if (!task.IsIndeterminate)
                {
                    task.Value = task.MaxValue;
                }
                task.StopTask();
                return result;
            }).ConfigureAwait(false);
    }
}

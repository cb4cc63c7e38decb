using Spectre.Console;

namespace P2PMesh.Cli.Rendering;

/// <summary>What <see cref="TransferProgress.RunAsync{T}"/> hands its work: report bytes, set the total once known.</summary>
internal sealed class ProgressReporter(ProgressTask? task)
{
    public void Report(long bytesDone)
    {
        if (task is not null)
        {
            task.Value = bytesDone;
        }
    }

    public void SetTotal(long totalBytes)
    {
        if (task is not null && totalBytes > 0)
        {
            task.MaxValue = totalBytes;
            task.IsIndeterminate = false;
        }
    }

    public void Describe(string description)
    {
        if (task is not null)
        {
            task.Description = Markup.Escape(description);
        }
    }
}

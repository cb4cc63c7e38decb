using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Commands.Get;

/// <summary><c>get --json</c>: the finished download job, and with <c>--out</c> where the verified copy is.</summary>
internal sealed record GetResult(DownloadStatus Download, string? Path)
{
    /// <summary>
    /// How <c>get --json</c> writes it: <see cref="CliJsonContext"/>'s shape, with one field more after the API's
    /// fields of <c>download</c>: <c>isFinished</c> (<see cref="DownloadStates.IsFinished"/>), which this output
    /// has always carried and the API's <see cref="DownloadStatus"/> does not.
    /// </summary>
    public static JsonTypeInfo<GetResult> TypeInfo { get; } = CreateTypeInfo();

    private static JsonTypeInfo<GetResult> CreateTypeInfo()
    {
        var options = new JsonSerializerOptions(CliJsonContext.Default.Options)
        {
            TypeInfoResolver = CliJsonContext.Default.WithAddedModifier(static type =>
            {
                if (type.Type == typeof(DownloadStatus))
                {
                    var finished = type.CreateJsonPropertyInfo(typeof(bool), "isFinished");
                    finished.Get = static job => DownloadStates.IsFinished(((DownloadStatus)job).State);
                    type.Properties.Add(finished);
                }
            }),
        };
        return (JsonTypeInfo<GetResult>)options.GetTypeInfo(typeof(GetResult));
    }
}

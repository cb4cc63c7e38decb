using P2PMesh.Cli.Api.Models;

namespace P2PMesh.Cli.Commands.Get;

/// <summary><c>get --json</c>: the finished download job, and with <c>--out</c> where the verified copy is.</summary>
internal sealed record GetResult(DownloadStatus Download, string? Path);

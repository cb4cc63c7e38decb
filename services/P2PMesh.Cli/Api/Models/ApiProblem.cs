namespace P2PMesh.Cli.Api.Models;

/// <summary>
/// An RFC 9457 problem (<see href="https://www.rfc-editor.org/rfc/rfc9457"/>) as the PClient-API writes
/// it, with its <c>errors</c> (validation) and <c>grpcStatus</c> extensions.
/// </summary>
internal sealed record ApiProblem(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    IReadOnlyDictionary<string, string[]>? Errors,
    string? GrpcStatus);

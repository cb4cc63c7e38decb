using P2PMesh.Cli.Api.Models;

namespace P2PMesh.Cli.Api;

/// <summary>The PClient-API answered with an error status; <see cref="Problem"/> is its RFC 9457 body (or one made up from the status).</summary>
internal sealed class ApiProblemException(int status, ApiProblem problem)
    : Exception(string.IsNullOrEmpty(problem.Detail) ? problem.Title : $"{problem.Title}: {problem.Detail}")
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The problem details.</summary>
    public ApiProblem Problem { get; } = problem;
}

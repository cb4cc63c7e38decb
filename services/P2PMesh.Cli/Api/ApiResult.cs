namespace P2PMesh.Cli.Api;

/// <summary>An API answer, parsed, with the JSON it came as (what <c>--json</c> prints unchanged).</summary>
internal sealed record ApiResult<T>(T Value, string Json);

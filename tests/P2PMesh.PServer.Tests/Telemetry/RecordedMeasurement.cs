namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>One measurement a host made: its meter's scope (the host's <c>IMeterFactory</c>), the instrument, the value and the HTTP route it was for.</summary>
public sealed record RecordedMeasurement(object? Scope, string Instrument, double Value, string? Route);

namespace P2PMesh.Core.Search;

/// <summary>
/// The one textual form of a query id (<c>SearchRequest.query_id</c>, protos/p2pmesh/v1/peer.proto):
/// its 16 bytes in wire order as 32 lowercase hexadecimal digits, e.g.
/// <c>3f2a9c0e5b7d41e8a6c3d9f0b1e2a4c7</c>. The PClient-API's <c>queryId</c> (REST JSON, and so
/// <c>p2pmesh search --json</c> and its summary line), the <c>p2pmesh.query_id</c> span attribute
/// (<see cref="Telemetry.MeshSpanAttributes.QueryId"/>) of every hop and of the API's search span, and
/// the flood's log lines all use it, so an id copied from one finds the others (Jaeger's tag search
/// <c>p2pmesh.query_id=…</c>, a grep of the logs).
/// </summary>
public static class QueryIdFormat
{
    /// <summary>The text of <paramref name="queryId"/>: two lowercase hex digits per byte, no separators.</summary>
    /// <param name="queryId">The raw id, normally <see cref="SearchRequestValidator.QueryIdLength"/> (16) bytes;
    /// any length is formatted the same way (a malformed id is still logged as sent).</param>
    public static string Format(ReadOnlySpan<byte> queryId) => Convert.ToHexStringLower(queryId);
}

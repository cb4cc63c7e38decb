using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Tests.Client;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("100%", "100%25")]
    [InlineData("é", "%C3%A9")]
    [InlineData("a\nb", "a%0Ab")]
    [InlineData("🚫", "%F0%9F%9A%AB")]
    public void Encode_SpecExamples(string value, string encoded) => Assert.Equal(encoded, PercentEncoding.Encode(value));

    [Theory]
    [InlineData("fichier introuvable — ファイル 🚫 100%")]
    [InlineData("%41 is not an escape after encoding")]
    [InlineData("")]
    public void RoundTrip(string value) => Assert.Equal(value, PercentEncoding.Decode(PercentEncoding.Encode(value)));

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz", "%zz")]
    [InlineData("a%41b", "aAb")]
    public void Decode_MalformedEscapesKept(string value, string decoded) => Assert.Equal(decoded, PercentEncoding.Decode(value));
}

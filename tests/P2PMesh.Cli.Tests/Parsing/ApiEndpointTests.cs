using P2PMesh.Cli.Api;

namespace P2PMesh.Cli.Tests.Parsing;

public sealed class ApiEndpointTests
{
    [Theory]
    [InlineData("http://localhost:8080", "http://localhost:8080/")]
    [InlineData("https://mesh.example:443/base", "https://mesh.example/base/")]
    [InlineData("127.0.0.1:9000", "http://127.0.0.1:9000/")]
    [InlineData("peer-0.peers:8080", "http://peer-0.peers:8080/")]
    public void TryParse_UrlOrHostPort_BaseAddressEndingInSlash(string text, string expected)
    {
        Assert.True(ApiEndpoint.TryParse(text, out var uri));
        Assert.Equal(expected, uri.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://host")]
    [InlineData("http://")]
    [InlineData("not a url")]
    public void TryParse_Garbage_False(string text) => Assert.False(ApiEndpoint.TryParse(text, out _));

    [Fact]
    public void Resolve_OptionWinsOverEnvironment() =>
        Assert.Equal(new Uri("http://a:1/"), ApiEndpoint.Resolve(new Uri("http://a:1/"), _ => "http://b:2"));

    [Fact]
    public void Resolve_EnvironmentWhenNoOption() =>
        Assert.Equal(new Uri("http://b:2/"), ApiEndpoint.Resolve(null, name => name == "P2PMESH_API" ? "b:2" : null));

    [Fact]
    public void Resolve_NeitherMeansLocalhost8080() =>
        Assert.Equal(new Uri("http://localhost:8080/"), ApiEndpoint.Resolve(null, _ => null));

    [Fact]
    public void Resolve_BadEnvironment_FormatExceptionNamingTheVariable() =>
        Assert.Contains("P2PMESH_API", Assert.Throws<FormatException>(() => ApiEndpoint.Resolve(null, _ => "ftp://x")).Message);
}

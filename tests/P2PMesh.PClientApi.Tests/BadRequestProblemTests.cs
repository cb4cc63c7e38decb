using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace P2PMesh.PClientApi.Tests;

/// <summary>Requests the API cannot bind get problem details that name the field and say what was expected.</summary>
public sealed class BadRequestProblemTests(OnePeerApi fixture) : IClassFixture<OnePeerApi>
{
    private ApiHost Api => fixture.Api;

    [Fact]
    public async Task StartDownload_MalformedJson_ValidationProblemOnTheBody()
    {
        using var response = await Api.Client.PostAsync("/api/downloads", new StringContent("{bad", Encoding.UTF8, "application/json"));

        var problem = await AssertValidationProblemAsync(response, "body");
        Assert.StartsWith("The body is not the JSON expected: ", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/search?q=x&ttl=abc", "ttl", "'abc' is not a valid int.")]
    [InlineData("/api/search?q=x&explain=maybe", "explain", "'maybe' is not a valid bool.")]
    public async Task Search_ParameterThatDoesNotBind_ValidationProblemNamingIt(string url, string field, string message)
    {
        using var response = await Api.Client.GetAsync(url);

        var problem = await AssertValidationProblemAsync(response, field);
        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Search_TtlAboveTheMeshsMaximum_400NamesTheRealRange()
    {
        using var response = await Api.Client.GetAsync("/api/search?q=x&ttl=300");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ttl must be between 1 and 10, got 300", problem.GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        return problem;
    }
}

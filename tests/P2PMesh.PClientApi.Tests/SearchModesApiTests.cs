using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.PServer.Tests.Search;

namespace P2PMesh.PClientApi.Tests;

/// <summary>
/// <c>GET /api/search?via=</c> (docs/architecture.md, Search modes) in front of p0 of a real two-peer line, p1 holding a
/// file, p0's directory a fake one that knows p1's copy under another name (so its answers are told from a flood's).
/// </summary>
public sealed class SearchModesApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private DirectoryMesh _setup = null!;

    private FakeDirectoryHost FakeDirectory => _setup.Directory;

    private TestMesh Mesh => _setup.Mesh;

    private ApiHost Api => _setup.Api;

    private string Sha => Convert.ToHexStringLower(SHA256.HashData(_setup.Content));

    public async Task InitializeAsync() => _setup = await DirectoryMesh.StartAsync("flooded.bin", Encoding.UTF8.GetBytes("held by p1"));

    public async Task DisposeAsync()
    {
        if (_setup is not null)
        {
            await _setup.DisposeAsync();
        }
    }

    [Fact]
    public async Task Search_ViaDirectory_AnsweredByTheDirectoryInOneMessage()
    {
        var result = await Api.Client.GetFromJsonAsync<SearchResponse>("/api/search?q=*.bin&via=directory&explain=true", Json);

        var file = Assert.Single(result!.Files);
        Assert.Equal(["indexed-flooded.bin"], file.Names);
        var source = Assert.Single(file.Sources);
        Assert.Equal(("p1", 0), (source.PeerId, source.Hops));
        Assert.Equal(["p1"], source.Path);
        Assert.Equal(SearchModes.Directory, result.Via);
        Assert.Equal(SearchModes.Directory, result.Stats!.AnsweredBy);
        Assert.Equal(1, result.Stats.Messages);
        Assert.Null(result.Stats.FallbackReason);
        Assert.Empty(result.Edges!);
    }

    [Fact]
    public async Task Search_NoVia_IsAutoAndTheDirectoryAnswers()
    {
        using var response = await Api.Client.GetAsync("/api/search?q=*.bin");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("auto", json.GetProperty("via").GetString());
        var stats = json.GetProperty("stats");
        Assert.Equal("directory", stats.GetProperty("answeredBy").GetString());
        Assert.Equal(1, stats.GetProperty("messages").GetInt32());
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("fallbackReason").ValueKind);
    }

    [Fact]
    public async Task Search_AutoDirectoryHasNoHits_FloodsAndSaysWhy()
    {
        FakeDirectory.Hits = [];

        var result = await Api.Client.GetFromJsonAsync<SearchResponse>("/api/search?q=flooded.bin&via=auto", Json);

        Assert.Equal(["flooded.bin"], Assert.Single(result!.Files).Names);
        Assert.Equal(SearchModes.Flood, result.Stats!.AnsweredBy);
        Assert.Equal("no hits in the directory", result.Stats.FallbackReason);
        Assert.Equal(1 + 1, result.Stats.Messages);
    }

    [Fact]
    public async Task Search_ViaFlood_NeverAsksTheDirectory()
    {
        var before = FakeDirectory.Queries.Count;

        var result = await Api.Client.GetFromJsonAsync<SearchResponse>("/api/search?q=*.bin&via=flood", Json);

        Assert.Equal(["flooded.bin"], Assert.Single(result!.Files).Names);
        Assert.Equal(SearchModes.Flood, result.Stats!.AnsweredBy);
        Assert.Null(result.Stats.FallbackReason);
        Assert.Equal(before, FakeDirectory.Queries.Count);
    }

    [Theory]
    [InlineData("gossip")]
    [InlineData("")]
    public async Task Search_UnknownVia_ValidationProblemNamingTheModes(string via)
    {
        using var response = await Api.Client.GetAsync($"/api/search?q=x&via={via}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("via")[0].GetString();
        Assert.Contains("flood, directory, auto, mom", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ViaMomWithoutABroker_BadRequestNamingMomUri()
    {
        using var response = await Api.Client.GetAsync("/api/search?q=x&via=mom");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FailedPrecondition", problem.GetProperty("grpcStatus").GetString());
        Assert.Contains("Mom:Uri", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_WithoutSources_FindsThemWithAnAutoSearch()
    {
        using var response = await Api.Client.PostAsJsonAsync("/api/downloads", new StartDownloadRequest(Sha, null, null), Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains($"sha256:{Sha}", FakeDirectory.Queries);
    }
}

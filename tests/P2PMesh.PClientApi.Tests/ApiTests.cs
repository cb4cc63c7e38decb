using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.PClientApi.Tests;

/// <summary>The REST API in front of p0 of a real 5-peer ring on loopback.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private TestMesh _mesh = null!;
    private ApiHost _api = null!;
    private readonly byte[] _shared = Encoding.UTF8.GetBytes("an ISO image, honestly");

    private HttpClient Http => _api.Client;

    public async Task InitializeAsync()
    {
        _mesh = await TestMesh.StartAsync(5, _ => ["--Transfers:MaxUploadBytes=1000000"]);
        await _mesh.ConnectAsync(Topology.Ring(5));
        await _mesh[2].AddFileAsync("distro.iso", _shared);
        await _mesh[3].AddFileAsync("copy-of-distro.ISO", _shared);
        await _mesh[4].AddFileAsync("notes.txt", Encoding.UTF8.GetBytes("not an iso"));
        _api = await ApiHost.StartAsync(_mesh[0].PeerAddress, $"--Content:ShareDirectory={_mesh[0].ShareDirectory}");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _mesh.DisposeAsync();
    }

    [Fact]
    public async Task Search_GlobAcrossTheMesh_HitsGroupedByContentWithAllSources()
    {
        var result = await Http.GetFromJsonAsync<SearchResponse>("/api/search?q=*.iso&ttl=3", Json);

        var file = Assert.Single(result!.Files);
        Assert.Equal(Sha(_shared), file.Sha256);
        Assert.Equal(_shared.Length, file.Size);
        Assert.Equal(["copy-of-distro.ISO", "distro.iso"], file.Names);
        Assert.Equal(["p2", "p3"], file.Sources.Select(s => s.PeerId).Order());
        // Two hops either way round the ring, or three when the longer way answered first.
        Assert.All(file.Sources, s => Assert.Equal((s.Hops, "p0", s.PeerId), (s.Path.Count - 1, s.Path[0], s.Path[^1])));
        Assert.All(file.Sources, s => Assert.InRange(s.Hops, 2, 3));
        Assert.Equal(5, result.Stats!.PeersReached);
        Assert.Null(result.Edges);
        Assert.Equal(32, result.QueryId.Length);
    }

    [Fact]
    public async Task Search_Explain_ReturnsEveryForward()
    {
        var result = await Http.GetFromJsonAsync<SearchResponse>("/api/search?q=notes.txt&explain=true", Json);
        Assert.Equal(result!.Stats!.Messages, result.Edges!.Count);
        Assert.Contains(result.Edges, e => e.From == "p0" && e.Outcome == "hits");
    }

    [Theory]
    [InlineData("/api/search", "q")]
    [InlineData("/api/search?q=%20", "q")]
    [InlineData("/api/search?q=x&ttl=0", "ttl")]
    public async Task Search_BadInput_ValidationProblem(string url, string field)
    {
        using var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("/api/search?q=x&ttl=50")]            // above the PServer's cap
    [InlineData("/api/search?q=sha256:nothex")]       // malformed hash pattern
    public async Task Search_RejectedByThePServer_ProblemDetailsWithGrpcStatus(string url)
    {
        using var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("InvalidArgument", problem.GetProperty("grpcStatus").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Files_ListsThisPeersShare()
    {
        await _mesh[0].AddFileAsync("mine.txt", [1, 2, 3]);
        var files = await Http.GetFromJsonAsync<SharedFileDto[]>("/api/files", Json);
        var file = Assert.Single(files!);
        Assert.Equal(("mine.txt", 3L, Sha([1, 2, 3])), (file.Name, file.Size, file.Sha256));
    }

    [Fact]
    public async Task Peers_NeighboursAllHealthy()
    {
        var peers = await Http.GetFromJsonAsync<PeersResponse>("/api/peers", Json);
        Assert.Equal("p0", peers!.Self.Id);
        Assert.Equal(["p1", "p4"], peers.Neighbours.Select(n => n.Id).Order());
        Assert.All(peers.Neighbours, n => Assert.True(n.Healthy));
    }

    [Fact]
    public async Task Upload_ToANeighbourById_StoredThereAndFindable()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        using var response = await UploadAsync("upload.bin", content, Sha(content), to: "p1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<UploadResponse>(Json);
        Assert.Equal(_mesh[1].PeerAddress, result!.Peer);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_mesh[1].ShareDirectory, "upload.bin")));
        var search = await Http.GetFromJsonAsync<SearchResponse>($"/api/search?q=sha256:{Sha(content)}", Json);
        Assert.Equal("p1", Assert.Single(Assert.Single(search!.Files).Sources).PeerId);
    }

    [Fact]
    public async Task Upload_WrongHash_UnprocessableProblemAndNothingStored()
    {
        var content = RandomNumberGenerator.GetBytes(1000);
        using var response = await UploadAsync("bad.bin", content, Sha([9]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("DataLoss", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grpcStatus").GetString());
        Assert.False(File.Exists(Path.Combine(_mesh[0].ShareDirectory, "bad.bin")));
    }

    [Fact]
    public async Task Upload_Oversized_PayloadTooLarge()
    {
        var content = new byte[1_000_001];
        using var response = await UploadAsync("big.bin", content, Sha(content));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "0000000000000000000000000000000000000000000000000000000000000000", null, HttpStatusCode.BadRequest)]
    [InlineData("x.bin", "short", null, HttpStatusCode.BadRequest)]
    [InlineData("../x.bin", null, null, HttpStatusCode.BadRequest)]
    [InlineData("x.bin", null, "nobody", HttpStatusCode.NotFound)]
    public async Task Upload_BadInput_Problem(string? name, string? sha, string? to, HttpStatusCode expected)
    {
        byte[] content = [1, 2, 3];
        using var response = await UploadAsync(name, content, sha ?? Sha(content), to);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HealthAndReadiness()
    {
        Assert.Equal("ok", await Http.GetStringAsync("/healthz"));
        Assert.Equal("ready", await Http.GetStringAsync("/readyz"));
        await using var orphan = await ApiHost.StartAsync("127.0.0.1:1");   // no PServer there
        using var response = await orphan.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Not ready", problem.GetProperty("title").GetString());
        Assert.Contains("PServer at 127.0.0.1:1 does not answer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PServerDown_SearchIsServiceUnavailableProblem()
    {
        await using var orphan = await ApiHost.StartAsync("127.0.0.1:1");
        using var response = await orphan.Client.GetAsync("/api/search?q=*");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grpcStatus").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        var document = await Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/search", "/api/files", "/api/peers", "/api/uploads" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    [Fact]
    public async Task UnknownRoute_ProblemDetails404()
    {
        using var response = await Http.GetAsync("/api/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> UploadAsync(string? name, byte[] content, string sha, string? to = null)
    {
        var query = $"?sha256={sha}" + (name is null ? "" : $"&name={Uri.EscapeDataString(name)}") + (to is null ? "" : $"&to={to}");
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await Http.PostAsync("/api/uploads" + query, body);
    }

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.PClientApi.Tests;

/// <summary>Download jobs through the REST API, over a real 4-peer line, into p0's share.</summary>
public sealed class DownloadsApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private TestMesh _mesh = null!;
    private ApiHost _api = null!;
    private byte[] _content = null!;
    private string _sha = null!;

    private HttpClient Http => _api.Client;

    public async Task InitializeAsync()
    {
        _mesh = await TestMesh.StartAsync(4);
        await _mesh.ConnectAsync(Topology.Line(4));
        _content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 4321);
        _sha = Convert.ToHexStringLower(SHA256.HashData(_content));
        await _mesh[2].AddFileAsync("movie.mp4", _content);
        await _mesh[3].AddFileAsync("same-movie.mp4", _content);
        _api = await ApiHost.StartAsync(_mesh[0].PeerAddress, $"--Content:ShareDirectory={_mesh[0].ShareDirectory}");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _mesh.DisposeAsync();
    }

    [Fact]
    public async Task Download_WithoutSources_FindsThemByFloodAndLandsInTheShare()
    {
        using var start = await Http.PostAsJsonAsync("/api/downloads", new { sha256 = _sha.ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var job = await start.Content.ReadFromJsonAsync<DownloadStatus>(Json);
        Assert.Equal($"/api/downloads/{job!.Id}", start.Headers.Location?.OriginalString);

        var done = await WaitAsync(job.Id);

        Assert.Equal("completed", done.State);
        Assert.Equal((long)_content.Length, done.TotalBytes);
        Assert.Equal(_content.Length, done.BytesDone);
        Assert.Equal(2, done.Sources.Count);
        Assert.Equal(done.ChunksTotal, done.Sources.Sum(s => s.Chunks));
        Assert.Equal(_content, await File.ReadAllBytesAsync(Path.Combine(_mesh[0].ShareDirectory, done.FileName!)));
        // And the API serves it back as bytes.
        Assert.Equal(_content, await Http.GetByteArrayAsync($"/api/files/{_sha}/content"));
    }

    [Fact]
    public async Task Download_WithExplicitSourceAndName_UsesThem()
    {
        using var start = await Http.PostAsJsonAsync("/api/downloads", new { sha256 = _sha, sources = new[] { _mesh[3].PeerAddress }, name = "renamed.mp4" });
        var job = await start.Content.ReadFromJsonAsync<DownloadStatus>(Json);
        var done = await WaitAsync(job!.Id);
        Assert.Equal(("completed", "renamed.mp4"), (done.State, done.FileName));
        Assert.Equal(_mesh[3].PeerAddress, Assert.Single(done.Sources).Address);
    }

    [Fact]
    public async Task Download_AlreadyInThisShare_CompletesWithoutASecondCopy()
    {
        var own = RandomNumberGenerator.GetBytes(10_000);
        await _mesh[0].AddFileAsync("mine.bin", own);
        using var start = await Http.PostAsJsonAsync("/api/downloads", new { sha256 = Convert.ToHexStringLower(SHA256.HashData(own)), sources = new[] { _mesh[1].PeerAddress } });
        var done = await WaitAsync((await start.Content.ReadFromJsonAsync<DownloadStatus>(Json))!.Id);

        Assert.Equal(("completed", "mine.bin"), (done.State, done.FileName));
        Assert.Equal(["mine.bin"], Directory.EnumerateFiles(_mesh[0].ShareDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Download_NobodyHasIt_NotFoundProblem()
    {
        using var response = await Http.PostAsJsonAsync("/api/downloads", new { sha256 = new string('7', 64) });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"sha256\":\"abc\"}")]
    [InlineData("{}")]
    [InlineData("{\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"sources\":[\"not an address\"]}")]
    public async Task Download_BadRequest_ValidationProblem(string body)
    {
        using var response = await Http.PostAsync("/api/downloads", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownJob_NotFoundForGetAndDelete()
    {
        var id = Guid.NewGuid();
        using var get = await Http.GetAsync($"/api/downloads/{id}");
        using var delete = await Http.DeleteAsync($"/api/downloads/{id}");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get.StatusCode, delete.StatusCode));
    }

    [Fact]
    public async Task FileContent_UnknownHash_NotFoundProblem()
    {
        using var response = await Http.GetAsync($"/api/files/{new string('5', 64)}/content");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<DownloadStatus> WaitAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await Http.GetFromJsonAsync<DownloadStatus>($"/api/downloads/{id}", Json);
            if (status!.State is "completed" or "failed" or "cancelled")
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"download still {status.State}");
            await Task.Delay(50);
        }
    }
}

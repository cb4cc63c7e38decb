using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.PClientApi.Tests.Security;

/// <summary>
/// The PClient-API under abuse (docs/security.md; issue 13): it dials only peers of the mesh (an upload's <c>to=</c> and
/// a download's <c>sources</c> pointing anywhere else are refused without a connection attempt: once a port scanner),
/// and with <c>Api:Token</c> its mutating endpoints need the token while reads stay open.
/// </summary>
public sealed class ApiSecurityTests
{
    [Fact]
    public async Task UploadTo_UnknownAddress_ForbiddenWithoutAConnectionAttempt()
    {
        await using var mesh = await TestMesh.StartAsync(1);
        await using var api = await ApiHost.StartAsync(mesh[0].PeerAddress, $"--Content:ShareDirectory={mesh[0].ShareDirectory}");
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var port = ((IPEndPoint)target.LocalEndpoint).Port;

        var content = RandomNumberGenerator.GetBytes(1000);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await api.Client.PostAsync($"/api/uploads?name=x.bin&sha256={Convert.ToHexStringLower(SHA256.HashData(content))}&to=127.0.0.1:{port}", body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("dials only peers of the mesh", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(target.Pending(), "the API connected to the address it was given");
    }

    [Fact]
    public async Task DownloadSources_OutsideTheMesh_ForbiddenWithoutAConnectionAttempt_HoldersAccepted()
    {
        await using var mesh = await TestMesh.StartAsync(2);
        await mesh.ConnectAsync(Topology.Line(2));
        var content = RandomNumberGenerator.GetBytes(5000);
        await mesh[1].AddFileAsync("real.bin", content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var api = await ApiHost.StartAsync(mesh[0].PeerAddress, $"--Content:ShareDirectory={mesh[0].ShareDirectory}");
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var port = ((IPEndPoint)target.LocalEndpoint).Port;

        using var refused = await api.Client.PostAsJsonAsync("/api/downloads", new { sha256 = sha, sources = new[] { $"127.0.0.1:{port}" } });
        using var accepted = await api.Client.PostAsJsonAsync("/api/downloads", new { sha256 = sha, sources = new[] { mesh[1].PeerAddress } });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(target.Pending(), "the API connected to the address it was given");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task ApiToken_MutatingEndpointsNeedIt_ReadsStayOpen()
    {
        await using var mesh = await TestMesh.StartAsync(1);
        await using var api = await ApiHost.StartAsync(mesh[0].PeerAddress, $"--Content:ShareDirectory={mesh[0].ShareDirectory}", "--Api:Token=s3cret-token");
        var content = RandomNumberGenerator.GetBytes(1000);
        var uri = $"/api/uploads?name=t.bin&sha256={Convert.ToHexStringLower(SHA256.HashData(content))}";

        using var none = await api.Client.SendAsync(Upload(uri, content, token: null));
        using var wrong = await api.Client.SendAsync(Upload(uri, content, token: "guess"));
        using var download = await api.Client.PostAsJsonAsync("/api/downloads", new { sha256 = new string('0', 64) });
        using var files = await api.Client.GetAsync("/api/files");
        using var right = await api.Client.SendAsync(Upload(uri, content, token: "s3cret-token"));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, download.StatusCode);
        Assert.Equal(HttpStatusCode.OK, files.StatusCode);
        Assert.True(right.IsSuccessStatusCode, $"with the token: {(int)right.StatusCode}");
    }

    private static HttpRequestMessage Upload(string uri, byte[] content, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }
}

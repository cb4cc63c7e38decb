using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.PClientApi.Tests.Uploads;

/// <summary>
/// <c>POST /api/uploads</c> beyond Kestrel's default body limit (30,000,000 bytes), and refusals: over the API's
/// <c>Transfers:MaxUploadBytes</c> (413 before the body is read), and over the PServer's (413 while the body is
/// still coming). p0 has the default limits (64 GiB), p1 a limit of 1,000,000 bytes.
/// </summary>
public sealed class UploadsApiTests : IAsyncLifetime
{
    private const long PServerLimit = 1_000_000;
    private TestMesh _mesh = null!;
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _mesh = await TestMesh.StartAsync(2, i => i == 1 ? [$"--Transfers:MaxUploadBytes={PServerLimit}"] : []);
        await _mesh.ConnectAsync(Topology.Ring(2));
        _api = await ApiHost.StartAsync(_mesh[0].PeerAddress, $"--Content:ShareDirectory={_mesh[0].ShareDirectory}");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _mesh.DisposeAsync();
    }

    [Fact]
    public async Task Upload_40MB_OverKestrelsDefaultLimit_StoredWithItsHash()
    {
        // Arrange
        var content = RandomNumberGenerator.GetBytes(40 * 1024 * 1024);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));

        // Act
        using var response = await PostAsync(_api.Client, "forty.bin", sha, new ByteArrayContent(content));

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await response.Content.ReadFromJsonAsync<UploadResponse>();
        Assert.Equal((content.LongLength, sha), (stored!.File.Size, stored.File.Sha256));
        await using var file = File.OpenRead(Path.Combine(_mesh[0].ShareDirectory, "forty.bin"));
        Assert.Equal(sha, Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
    }

    [Fact]
    public async Task Upload_DeclaredLengthOverTheApisLimit_413NamingTheLimit_BodyNeverRead()
    {
        // Arrange: an API whose limit is 1000 bytes, and a body that fails the test if it is ever read.
        await using var api = await ApiHost.StartAsync(_mesh[0].PeerAddress, $"--Content:ShareDirectory={_mesh[0].ShareDirectory}", "--Transfers:MaxUploadBytes=1000");
        var body = new StreamContent(new UnreadableStream(2000));
        body.Headers.ContentLength = 2000;

        // Act
        using var response = await PostAsync(api.Client, "toolarge.bin", new string('0', 64), body, expectContinue: true);

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Upload too large", problem.GetProperty("title").GetString());
        Assert.Equal("2000 bytes exceeds the upload limit of 1000 bytes (Transfers:MaxUploadBytes).", problem.GetProperty("detail").GetString());
        Assert.Equal(1000, problem.GetProperty("maxUploadBytes").GetInt64());
        Assert.False(File.Exists(Path.Combine(_mesh[0].ShareDirectory, "toolarge.bin")));
    }

    [Fact]
    public async Task Upload_ThePServerRefusesWhileTheBodyIsComing_413AtOnce()
    {
        // Arrange: 50 MB declared for p1 (limit 1,000,000); 1 MiB of it is sent, then nothing (a raw socket, so
        // nothing but the API decides when the answer comes and when the connection ends).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_api.Client.BaseAddress!.Host, _api.Client.BaseAddress.Port, deadline.Token);
        var stream = socket.GetStream();
        var head = $"POST /api/uploads?name=refused.bin&sha256={new string('0', 64)}&to=p1 HTTP/1.1\r\nHost: {_api.Client.BaseAddress.Authority}\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Length: 50000000\r\n\r\n";

        // Act: before the fix the answer came at once too, but kept the connection alive: a client told nothing could
        // only keep sending the other 49 MB (or stall until Kestrel's 5 s drain reset the connection).
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), deadline.Token);
        await stream.WriteAsync(new byte[1024 * 1024], deadline.Token);
        var answer = await ReadToCloseAsync(socket.Client, stream, deadline.Token);

        // Assert
        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
        Assert.Contains("\"grpcStatus\":\"ResourceExhausted\"", answer, StringComparison.Ordinal);
        Assert.Contains($"upload limit of {PServerLimit} bytes", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ThePServerRefusesWhileAnHttpClientSends_413ProblemRead()
    {
        // Arrange: SocketsHttpHandler streaming 50 MB without Expect: 100-continue, to p1 (limit 1,000,000).
        var body = new StreamContent(new GeneratedStream(GeneratedStream.Block(16, 64 * 1024), 50_000_000));
        body.Headers.ContentLength = 50_000_000;

        // Act
        using var response = await PostAsync(_api.Client, "refused.bin", new string('0', 64), body, to: "p1");

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ResourceExhausted", problem.GetProperty("grpcStatus").GetString());
        Assert.Contains($"upload limit of {PServerLimit} bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Reads until the connection ends. Once the chunked answer is whole this client stops sending, as RFC 9112 §9.5
    /// asks of a client that stops sending mid-body, so Kestrel's drain meets the end of the body and closes the connection;
    /// a reset after the answer (Kestrel giving up on the unread body) ends the read too, with what was read before it.
    /// </summary>
    private static async Task<string> ReadToCloseAsync(System.Net.Sockets.Socket socket, Stream stream, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
                if (text.ToString().EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                {
                    socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                }
            }
        }
        catch (IOException) when (text.Length > 0)
        {
        }
        return text.ToString();
    }

    internal static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, string name, string sha256, HttpContent body, string? to = null, bool expectContinue = false, CancellationToken cancellationToken = default)
    {
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/uploads?name={name}&sha256={sha256}" + (to is null ? "" : $"&to={to}")) { Content = body };
        request.Headers.ExpectContinue = expectContinue;
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>A body whose reading fails the test (the API must refuse it from its headers alone).</summary>
    private sealed class UnreadableStream(long length) : MemoryStream
    {
        public override long Length => length;

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the body was sent");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the body was sent");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the body was sent");
    }
}

using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Core.Content;
using P2PMesh.PServer.Tests.Transfers.Download;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers;

/// <summary><c>Upload</c>: verified, atomic, size-limited, and never a path outside the share.</summary>
public sealed class UploadTests : IAsyncLifetime
{
    private PServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await PServerHost.StartAsync("--Transfers:MaxUploadBytes=8000000");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Upload_Valid_StoredIndexedAndServed()
    {
        var content = RandomBytes(3_000_000);
        var reply = await UploadAsync("film.mkv", content, Hash(content));

        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_host.ShareDirectory, "film.mkv")));
        Assert.Equal((Hash(content), (ulong)content.Length, "film.mkv", 3), (reply.Manifest.Sha256, reply.Manifest.Size, reply.Manifest.Name, reply.Manifest.ChunkSha256.Count));
        var served = await _host.Client.GetManifestAsync(new GetManifestRequest { Sha256 = Hash(content) });
        Assert.Equal(reply.Manifest, served);
        Assert.Equal(TestContent.ManifestOf(content, "film.mkv"), served);
        Assert.Equal(0, _host.Index().FilesHashed);   // the index took the hashes computed while receiving
        AssertNoTemporaryFiles();
    }

    [Fact]
    public async Task Upload_EmptyFile_Stored()
    {
        var reply = await UploadAsync("empty.txt", [], Hash([]));
        Assert.Equal(0ul, reply.Manifest.Size);
        Assert.True(File.Exists(Path.Combine(_host.ShareDirectory, "empty.txt")));
    }

    [Fact]
    public async Task Upload_WrongDeclaredHash_DataLossAndNothingKept()
    {
        var content = RandomBytes(100_000);
        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync("wrong.bin", content, Hash([1, 2, 3])));

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.False(File.Exists(Path.Combine(_host.ShareDirectory, "wrong.bin")));
        AssertNoTemporaryFiles();
    }

    [Theory]
    [InlineData(-1)]   // fewer bytes than declared
    [InlineData(+1)]   // more bytes than declared
    public async Task Upload_SizeMismatch_DataLossAndNothingKept(int delta)
    {
        var content = RandomBytes(50_000);
        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync("size.bin", content, Hash(content), declaredSize: (ulong)(content.Length - delta)));
        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.False(File.Exists(Path.Combine(_host.ShareDirectory, "size.bin")));
        AssertNoTemporaryFiles();
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b.txt")]
    [InlineData("a\\b.txt")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData(".p2pmesh")]
    public async Task Upload_NameOutsideTheShareOrNotPlain_InvalidArgument(string name)
    {
        var content = RandomBytes(10);
        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(name, content, Hash(content)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_host.ShareDirectory)!, "escape.txt")));
    }

    [Fact]
    public async Task Upload_OverSizeLimit_ResourceExhaustedBeforeAnyData()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync("big.bin", [], Hash([]), declaredSize: 8_000_001));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Upload_NotEnoughFreeSpace_ResourceExhausted()
    {
        await using var host = await PServerHost.StartAsync("--Transfers:MinFreeBytes=9000000000000000000");
        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(host.Client, "x.bin", [1], Hash([1])));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("free", ex.Status.Detail);
    }

    [Fact]
    public async Task Upload_NoHeaderFirst_InvalidArgument()
    {
        using var call = _host.Client.Upload();
        await call.RequestStream.WriteAsync(new UploadPart { Data = ByteString.CopyFrom(1, 2, 3) });
        await call.RequestStream.CompleteAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task Upload_SameNameDifferentContent_AlreadyExists_SameContentIsIdempotent()
    {
        var first = RandomBytes(1000);
        await UploadAsync("same.bin", first, Hash(first));
        var second = RandomBytes(1000);

        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync("same.bin", second, Hash(second)));
        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
        Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(_host.ShareDirectory, "same.bin")));

        var again = await UploadAsync("same.bin", first, Hash(first));
        Assert.Equal(Hash(first), again.Manifest.Sha256);
    }

    [Fact]
    public async Task Upload_ClientCancelsMidway_NothingKept()
    {
        using var cts = new CancellationTokenSource();
        var call = _host.Client.Upload(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new UploadPart { Header = new UploadHeader { Name = "partial.bin", Size = 1_000_000, Sha256 = new string('a', 64) } });
        await call.RequestStream.WriteAsync(new UploadPart { Data = ByteString.CopyFrom(RandomBytes(100_000)) });
        // Cancel only once the server is writing its temporary file, or there would be nothing to clean up.
        await TestContent.WaitUntilAsync(() => Directory.EnumerateFiles(UploadsDirectory).Any(), TimeSpan.FromSeconds(10), "the server to start its temporary upload file");
        cts.Cancel();
        await Assert.ThrowsAsync<RpcException>(async () => await call);
        call.Dispose();

        // The server notices the reset and removes its temporary file.
        await TestContent.WaitUntilAsync(() => !Directory.EnumerateFiles(UploadsDirectory).Any(), TimeSpan.FromSeconds(10), "the temporary upload file to be removed");
        Assert.False(File.Exists(Path.Combine(_host.ShareDirectory, "partial.bin")));
    }

    private string UploadsDirectory
    {
        get
        {
            var path = Path.Combine(_host.Services.GetRequiredService<ContentIndex>().StateDirectory, "uploads");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    private void AssertNoTemporaryFiles() => Assert.Empty(Directory.EnumerateFiles(UploadsDirectory));

    private Task<UploadReply> UploadAsync(string name, byte[] content, string sha, ulong? declaredSize = null) =>
        UploadAsync(_host.Client, name, content, sha, declaredSize);

    private static async Task<UploadReply> UploadAsync(Peer.PeerClient client, string name, byte[] content, string sha, ulong? declaredSize = null)
    {
        using var call = client.Upload();
        await call.RequestStream.WriteAsync(new UploadPart { Header = new UploadHeader { Name = name, Size = declaredSize ?? (ulong)content.Length, Sha256 = sha } });
        try
        {
            foreach (var piece in content.Chunk(256 * 1024))
            {
                await call.RequestStream.WriteAsync(new UploadPart { Data = ByteString.CopyFrom(piece) });
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server refused early (e.g. at the header); its status comes from the response.
        }
        return await call;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}

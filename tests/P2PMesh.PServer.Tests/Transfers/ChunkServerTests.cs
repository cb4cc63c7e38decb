using System.Security.Cryptography;
using Grpc.Core;
using P2PMesh.Core.Transfers;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers;

/// <summary><c>GetManifest</c> and <c>ReadChunks</c> against a real PServer serving real files.</summary>
public sealed class ChunkServerTests : IAsyncLifetime
{
    private const int Chunk = 1024 * 1024;
    private PServerHost _host = null!;
    private byte[] _content = null!;
    private string _sha = null!;

    public async Task InitializeAsync()
    {
        _host = await PServerHost.StartAsync();
        _content = new byte[(2 * Chunk) + 12345];
        new Random(42).NextBytes(_content);
        _sha = Convert.ToHexStringLower(SHA256.HashData(_content));
        await _host.AddFileAsync("dir/data.bin", _content);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task GetManifest_KnownFile_SizeChunkSizeAndChunkHashes()
    {
        var manifest = await _host.Client.GetManifestAsync(new GetManifestRequest { Sha256 = _sha.ToUpperInvariant() });

        Assert.Equal((_sha, (ulong)_content.Length, (uint)Chunk, "dir/data.bin"), (manifest.Sha256, manifest.Size, manifest.ChunkSize, manifest.Name));
        var expected = _content.Chunk(Chunk).Select(c => Convert.ToHexStringLower(SHA256.HashData(c)));
        Assert.Equal(expected, manifest.ChunkSha256);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", StatusCode.NotFound)]
    [InlineData("abc", StatusCode.InvalidArgument)]
    [InlineData("", StatusCode.InvalidArgument)]
    public async Task GetManifest_UnknownOrMalformedHash_Refused(string sha, StatusCode expected)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Client.GetManifestAsync(new GetManifestRequest { Sha256 = sha }));
        Assert.Equal(expected, ex.StatusCode);
    }

    [Fact]
    public async Task ReadChunks_ChunkIndices_BytesOfEachChunkInRequestOrderInSmallMessages()
    {
        var request = new ReadChunksRequest { Sha256 = _sha, Chunks = { 2, 0 } };
        var parts = await ReadAllAsync(request);

        Assert.All(parts, p => Assert.InRange(p.Data.Length, 1, TransferOptions.MaxChunkMessageBytes));
        Assert.Equal([2u, 0u], parts.Select(p => p.Index).Distinct());
        var last = Concat(parts.Where(p => p.Index == 2));
        var first = Concat(parts.Where(p => p.Index == 0));
        Assert.Equal(_content.AsSpan(2 * Chunk).ToArray(), last);
        Assert.Equal(_content.AsSpan(0, Chunk).ToArray(), first);
        Assert.All(parts, p => Assert.Equal(_content.AsSpan((int)p.Offset, p.Data.Length).ToArray(), p.Data.ToByteArray()));
    }

    [Fact]
    public async Task ReadChunks_ByteRanges_ExactBytes()
    {
        var request = new ReadChunksRequest { Sha256 = _sha, Ranges = { new ByteRange { Offset = 10, Length = 5 }, new ByteRange { Offset = Chunk - 3, Length = 700_000 } } };
        var parts = await ReadAllAsync(request);
        Assert.Equal(_content.AsSpan(10, 5).ToArray().Concat(_content.AsSpan(Chunk - 3, 700_000).ToArray()), Concat(parts));
    }

    [Theory]
    [InlineData(3u, 0ul, 0ul)]                          // chunk index beyond the 3 chunks
    [InlineData(null, 3ul * 1024 * 1024, 1ul)]          // range starting past the end
    [InlineData(null, 0ul, 4ul * 1024 * 1024)]          // range running past the end
    [InlineData(null, 5ul, 0ul)]                        // empty range
    [InlineData(null, ulong.MaxValue, 2ul)]             // overflow
    public async Task ReadChunks_BeyondTheFile_OutOfRange(uint? chunk, ulong offset, ulong length)
    {
        var request = new ReadChunksRequest { Sha256 = _sha };
        if (chunk is { } c)
        {
            request.Chunks.Add(c);
        }
        else
        {
            request.Ranges.Add(new ByteRange { Offset = offset, Length = length });
        }
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(request));
        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
    }

    [Fact]
    public async Task ReadChunks_NothingAsked_InvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new ReadChunksRequest { Sha256 = _sha }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task ReadChunks_UnknownHash_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new ReadChunksRequest { Sha256 = new string('1', 64), Chunks = { 0 } }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    private async Task<List<Chunk>> ReadAllAsync(ReadChunksRequest request)
    {
        using var call = _host.Client.ReadChunks(request);
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    private static byte[] Concat(IEnumerable<Chunk> parts) => [.. parts.SelectMany(p => p.Data.ToByteArray())];
}

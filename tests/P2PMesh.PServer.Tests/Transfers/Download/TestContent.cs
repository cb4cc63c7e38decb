using System.Security.Cryptography;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>Seeded random content, its hashes and manifests, and waiting helpers for the download tests.</summary>
public static class TestContent
{
    public const int ChunkSize = 1024 * 1024;

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The manifest a PServer with 1 MiB chunks would give for <paramref name="content"/>.</summary>
    public static Manifest ManifestOf(byte[] content, string name, int chunkSize = ChunkSize)
    {
        var manifest = new Manifest { Sha256 = Sha256(content), Size = (ulong)content.Length, ChunkSize = (uint)chunkSize, Name = name };
        for (var offset = 0; offset < content.Length; offset += chunkSize)
        {
            manifest.ChunkSha256.Add(Sha256(content.AsSpan(offset, Math.Min(chunkSize, content.Length - offset))));
        }
        return manifest;
    }

    /// <summary>Writes <paramref name="size"/> seeded random bytes in 1 MiB blocks (never all in memory); returns their SHA-256.</summary>
    public static async Task<string> WriteRandomFileAsync(string path, long size, int seed)
    {
        var random = new Random(seed);
        var block = new byte[ChunkSize];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        for (long written = 0; written < size;)
        {
            var count = (int)Math.Min(block.Length, size - written);
            random.NextBytes(block);
            hash.AppendData(block, 0, count);
            await stream.WriteAsync(block.AsMemory(0, count));
            written += count;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of a file, streamed.</summary>
    public static async Task<string> Sha256OfFileAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }

    /// <summary>Polls <paramref name="condition"/> every few milliseconds; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}");
            }
            await Task.Delay(5);
        }
    }
}

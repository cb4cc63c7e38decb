using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using P2PMesh.PClientApi.Contracts;
using Xunit.Abstractions;

namespace P2PMesh.PClientApi.Tests.Uploads;

/// <summary>
/// A 4 GiB <c>POST /api/uploads</c> (issue 16: uploads stream end to end, in constant memory): a generated body
/// (one pseudo-random 1 MiB block, repeated) through the in-process API to a PServer on 127.0.0.1. Slow (tens of
/// seconds, 4 GiB of disk while it runs): <c>--filter Category!=Slow</c> leaves it out.
/// </summary>
[Trait("Category", "Slow")]
public sealed class LargeUploadTests(OnePeerApi fixture, ITestOutputHelper output) : IClassFixture<OnePeerApi>
{
    private const long BodyBytes = 4L * 1024 * 1024 * 1024;
    private const int BlockBytes = 1024 * 1024;

    [Fact]
    public async Task Upload_4GiBGeneratedBody_Stored_MemoryFarBelowTheBody()
    {
        // Arrange: the body's SHA-256 by a first pass over the same generator (no 4 GiB buffer anywhere).
        var block = GeneratedStream.Block(seed: 4, BlockBytes);
        string sha;
        using (var first = new GeneratedStream(block, BodyBytes))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(first));
        }
        var body = new StreamContent(new GeneratedStream(block, BodyBytes), 81920);
        body.Headers.ContentLength = BodyBytes;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var peakBefore = self.PeakWorkingSet64;
        var started = Stopwatch.GetTimestamp();
        var path = Path.Combine(fixture.Mesh[0].ShareDirectory, "four.bin");
        try
        {
            // Act
            using var client = new HttpClient { BaseAddress = fixture.Api.Client.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            using var response = await UploadsApiTests.PostAsync(client, "four.bin", sha, body);
            var stored = await response.Content.ReadFromJsonAsync<UploadResponse>();
            var elapsed = Stopwatch.GetElapsedTime(started);
            self.Refresh();

            // Assert: stored whole, and this process (test, API and PServer) never came near holding the body.
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal((BodyBytes, sha), (stored!.File.Size, stored.File.Sha256));
            Assert.Equal(BodyBytes, new FileInfo(path).Length);
            await using (var file = File.OpenRead(path))
            {
                Assert.Equal(sha, Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
            }
            var heap = GC.GetGCMemoryInfo().HeapSizeBytes;
            output.WriteLine($"4 GiB upload: {elapsed.TotalSeconds:0.0} s; peak working set {peakBefore >> 20} MiB before, "
                + $"{self.PeakWorkingSet64 >> 20} MiB after; GC heap {heap >> 20} MiB");
            Assert.True(self.PeakWorkingSet64 < BodyBytes / 8, $"peak working set {self.PeakWorkingSet64} bytes");
            Assert.True(heap < BodyBytes / 16, $"GC heap {heap} bytes");
        }
        finally
        {
            File.Delete(path);
        }
    }
}

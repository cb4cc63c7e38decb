using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Core.Content;
using P2PMesh.PServer.Tests.Transfers.Download;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers;

/// <summary>
/// <c>Upload</c> under abuse (issue 13's defects): who may upload, names in UTF-8 bytes and control characters, the
/// free-space reserve under concurrent uploads, stale temporary files after a crash, stalled uploads.
/// </summary>
public sealed class UploadAbuseTests
{
    [Fact]
    public async Task Upload_CjkNameOf765Bytes_InvalidArgumentNamingTheByteLimit()
    {
        await using var host = await PServerHost.StartAsync();
        var name = new string('文', 255);   // 255 characters, 765 bytes in UTF-8: once UNKNOWN and a PathTooLongException

        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(host.Client, name, [1, 2, 3]));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("765 bytes in UTF-8; at most 255", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(host.ShareDirectory), e => !e.EndsWith(".p2pmesh", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("evil\u001b[31m.txt")]
    [InlineData("line\nbreak.txt")]
    [InlineData("tab\t.txt")]
    [InlineData("del\u007f.txt")]
    public async Task Upload_ControlCharacterInName_InvalidArgumentEscapedInTheMessage(string name)
    {
        await using var host = await PServerHost.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(host.Client, name, [1]));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("control character", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ex.Status.Detail, c => char.IsControl(c));
    }

    [Fact]
    public async Task Upload_FromOutsideUploadSources_PermissionDeniedAndNothingStored_FromInsideStored()
    {
        // Only 127.0.0.2 may upload: a caller from 127.0.0.1 stands for any other pod on the network.
        await using var host = await PServerHost.StartAsync("--Transfers:UploadSources=127.0.0.2/32");
        var content = RandomBytes(10_000);

        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(host.Client, "install-me.sh", content));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("127.0.0.1", ex.Status.Detail, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(host.ShareDirectory, "install-me.sh")));

        using var fromAllowed = LoopbackSource.Channel(IPAddress.Parse("127.0.0.2"), host.Address);
        var reply = await UploadAsync(new Peer.PeerClient(fromAllowed), "allowed.bin", content);
        Assert.Equal(Hash(content), reply.Manifest.Sha256);
    }

    [Fact]
    public async Task Upload_DefaultSources_LoopbackAccepted()
    {
        await using var host = await PServerHost.StartAsync();
        var content = RandomBytes(1000);
        var reply = await UploadAsync(host.Client, "local.bin", content);
        Assert.Equal(Hash(content), reply.Manifest.Sha256);
    }

    [Fact]
    public async Task Upload_Stalled_DeadlineExceededAndTemporaryFileRemoved()
    {
        await using var host = await PServerHost.StartAsync("--Transfers:UploadIdleTimeout=00:00:01");
        using var call = host.Client.Upload();
        await call.RequestStream.WriteAsync(new UploadPart { Header = new UploadHeader { Name = "stalled.bin", Size = 1_000_000, Sha256 = new string('a', 64) } });
        await call.RequestStream.WriteAsync(new UploadPart { Data = ByteString.CopyFrom(RandomBytes(1000)) });
        // ... and nothing more, without completing the stream.

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Contains("no upload data", ex.Status.Detail, StringComparison.Ordinal);
        await TestContent.WaitUntilAsync(() => !Directory.EnumerateFiles(UploadsDirectory(host)).Any(), TimeSpan.FromSeconds(10), "the temporary upload file to be removed");
    }

    [Fact]
    public async Task Start_StaleUploadPartFiles_RemovedDownloadPartsKept()
    {
        var state = Directory.CreateTempSubdirectory("p2pmesh-state-").FullName;
        try
        {
            var uploads = Directory.CreateDirectory(Path.Combine(state, "uploads")).FullName;
            var stale = Path.Combine(uploads, "0123456789abcdef.part");
            await File.WriteAllBytesAsync(stale, RandomBytes(4096));   // a PServer killed mid-upload left this
            var download = Directory.CreateDirectory(Path.Combine(state, "downloads")).FullName;
            var resumable = Path.Combine(download, "feed.part");
            await File.WriteAllBytesAsync(resumable, RandomBytes(4096));

            await using var host = await PServerHost.StartAsync($"--Content:StateDirectory={state}");

            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(resumable));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>
    /// Four concurrent 20 MiB uploads into a 48 MiB volume (a real tmpfs): the reserve is taken up front, so two are
    /// stored, two are refused RESOURCE_EXHAUSTED at their header, and the volume keeps its reserve. Checked per upload
    /// at its start only, all four began, filled the volume and failed UNKNOWN.
    /// </summary>
    [SkippableFact]
    public async Task Upload_ConcurrentUploadsBeyondFreeSpace_ReservedUpFront()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "mounting a tmpfs needs root on Linux (CI runs as root)");
        var volume = Directory.CreateTempSubdirectory("p2pmesh-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=48m", "p2pmesh-test", volume);
        try
        {
            var share = Directory.CreateDirectory(Path.Combine(volume, "share")).FullName;
            await using var host = await PServerHost.StartAsync($"--Content:ShareDirectory={share}", "--Transfers:MinFreeBytes=1048576");
            var contents = Enumerable.Range(0, 4).Select(_ => RandomBytes(20 * 1024 * 1024)).ToArray();

            // Every header first, then the data: the four uploads overlap for sure.
            var calls = contents.Select((c, i) => host.Client.Upload()).ToArray();
            for (var i = 0; i < calls.Length; i++)
            {
                await calls[i].RequestStream.WriteAsync(new UploadPart { Header = new UploadHeader { Name = $"u{i}.bin", Size = (ulong)contents[i].Length, Sha256 = Hash(contents[i]) } });
            }
            var outcomes = await Task.WhenAll(calls.Select((call, i) => FinishAsync(call, contents[i])));

            Assert.Equal(2, outcomes.Count(o => o == StatusCode.OK));
            Assert.Equal(2, outcomes.Count(o => o == StatusCode.ResourceExhausted));
            Assert.True(new DriveInfo(volume).AvailableFreeSpace >= 1048576, "the volume kept its reserve");
            foreach (var call in calls)
            {
                call.Dispose();
            }
        }
        finally
        {
            Run("umount", volume);
            Directory.Delete(volume, recursive: true);
        }
    }

    private static async Task<StatusCode> FinishAsync(AsyncClientStreamingCall<UploadPart, UploadReply> call, byte[] content)
    {
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
            // Refused early; the status comes from the response.
        }
        try
        {
            await call;
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {error}");
    }

    private static string UploadsDirectory(PServerHost host) =>
        Directory.CreateDirectory(Path.Combine(host.Services.GetRequiredService<ContentIndex>().StateDirectory, "uploads")).FullName;

    private static async Task<UploadReply> UploadAsync(Peer.PeerClient client, string name, byte[] content)
    {
        using var call = client.Upload();
        await call.RequestStream.WriteAsync(new UploadPart { Header = new UploadHeader { Name = name, Size = (ulong)content.Length, Sha256 = Hash(content) } });
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

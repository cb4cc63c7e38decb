using System.Text.Json;
using P2PMesh.Cli.Commands.Get;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Tests.Commands;

/// <summary>
/// <c>get --json</c> byte for byte: the API's <see cref="DownloadStatus"/> as the CLI reads it, written with
/// nulls left out and <c>isFinished</c> after the API's fields (the output as it was when the CLI had its own copy of the DTO).
/// </summary>
public sealed class GetResultJsonTests
{
    [Fact]
    public void Completed_WithPath()
    {
        var job = Read("""{"id":"0b7c2a4e-5f1d-4c3b-9a8e-1f2d3c4b5a69","sha256":"ab","state":"completed","totalBytes":10,"bytesDone":10,"rateBytesPerSecond":1234,"chunksTotal":1,"chunksDone":1,"fileName":"c.txt","error":null,"sources":[{"address":"127.0.0.1:1","chunks":1,"bytes":10,"dropped":null}]}""");

        Assert.Equal("""
            {
              "download": {
                "id": "0b7c2a4e-5f1d-4c3b-9a8e-1f2d3c4b5a69",
                "sha256": "ab",
                "state": "completed",
                "totalBytes": 10,
                "bytesDone": 10,
                "rateBytesPerSecond": 1234,
                "chunksTotal": 1,
                "chunksDone": 1,
                "fileName": "c.txt",
                "sources": [
                  {
                    "address": "127.0.0.1:1",
                    "chunks": 1,
                    "bytes": 10
                  }
                ],
                "alreadyShared": false,
                "chunksResumed": 0,
                "bytesFetched": 0,
                "isFinished": true
              },
              "path": "/tmp/x"
            }
            """, Write(new GetResult(job, "/tmp/x")), ignoreLineEndingDifferences: true);
    }

    [Fact]
    public void Failed_NullsLeftOut()
    {
        var job = Read("""{"id":"0b7c2a4e-5f1d-4c3b-9a8e-1f2d3c4b5a69","sha256":"ab","state":"failed","totalBytes":null,"bytesDone":0,"rateBytesPerSecond":0.5,"chunksTotal":null,"chunksDone":0,"fileName":null,"error":"boom","sources":[]}""");

        Assert.Equal("""
            {
              "download": {
                "id": "0b7c2a4e-5f1d-4c3b-9a8e-1f2d3c4b5a69",
                "sha256": "ab",
                "state": "failed",
                "bytesDone": 0,
                "rateBytesPerSecond": 0.5,
                "chunksDone": 0,
                "error": "boom",
                "sources": [],
                "alreadyShared": false,
                "chunksResumed": 0,
                "bytesFetched": 0,
                "isFinished": true
              }
            }
            """, Write(new GetResult(job, null)), ignoreLineEndingDifferences: true);
    }

    [Theory]
    [InlineData(DownloadStates.Pending, false)]
    [InlineData(DownloadStates.Running, false)]
    [InlineData(DownloadStates.Verifying, false)]
    [InlineData(DownloadStates.Completed, true)]
    [InlineData(DownloadStates.Failed, true)]
    [InlineData(DownloadStates.Cancelled, true)]
    public void IsFinished_FollowsTheState(string state, bool finished)
    {
        var job = new DownloadStatus(Guid.Empty, "ab", state, null, 0, 0, null, 0, null, null, []);

        using var json = JsonDocument.Parse(Write(new GetResult(job, null)));

        Assert.Equal(finished, json.RootElement.GetProperty("download").GetProperty("isFinished").GetBoolean());
    }

    private static DownloadStatus Read(string json) => JsonSerializer.Deserialize(json, CliJsonContext.Default.DownloadStatus)!;

    private static string Write(GetResult result) => JsonSerializer.Serialize(result, GetResult.TypeInfo);
}

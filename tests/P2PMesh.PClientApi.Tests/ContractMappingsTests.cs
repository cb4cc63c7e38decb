using P2PMesh.Core.Transfers.Download;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PClientApi.Internal;

namespace P2PMesh.PClientApi.Tests;

/// <summary>The engine's download states and the contract's <see cref="DownloadStates"/> stay one set.</summary>
public sealed class ContractMappingsTests
{
    [Fact]
    public void EveryEngineState_IsADownloadStatesValue_FinishedExactlyWhenTheEngineIsDone()
    {
        string[] contract = [DownloadStates.Pending, DownloadStates.Running, DownloadStates.Verifying,
            DownloadStates.Completed, DownloadStates.Failed, DownloadStates.Cancelled];

        var mapped = Enum.GetValues<DownloadState>().Select(s => s.ToDownloadStatesValue()).ToArray();

        Assert.Equal(contract, mapped);
        Assert.All(Enum.GetValues<DownloadState>(), s => Assert.Equal(
            s is DownloadState.Completed or DownloadState.Failed or DownloadState.Cancelled, DownloadStates.IsFinished(s.ToDownloadStatesValue())));
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(true, 3)]
    [InlineData(false, null)]
    public void ToDownloadStatus_AlreadyShared_IsTheEnginesFlag_NotInferred(bool alreadyShared, int? chunksTotal)
    {
        var progress = new DownloadProgress
        {
            Id = Guid.NewGuid(), Sha256 = new string('a', 64), State = DownloadState.Completed, ChunksTotal = chunksTotal,
            FileName = "mine.bin", AlreadyShared = alreadyShared, Sources = [],
        };

        Assert.Equal(alreadyShared, progress.ToDownloadStatus().AlreadyShared);
    }
}

using P2PMesh.Cli.Rendering;

namespace P2PMesh.Cli.Tests.Rendering;

/// <summary>Progress bars say sizes as the tables do (binary units, <see cref="Format.Bytes"/>).</summary>
public sealed class ProgressColumnTests
{
    [Fact]
    public void BytesDone_BinaryUnitsAsInTheTables() =>
        Assert.Equal("17.5 MiB/200 MiB", BytesDoneColumn.Describe(17.5 * 1024 * 1024, 200 * 1024 * 1024));

    [Fact]
    public void TransferRate_BinaryUnitsPerSecond() =>
        Assert.Equal("1.5 KiB/s", TransferRateColumn.Describe(1536));
}

using P2PMesh.Contracts;
using P2PMesh.V1;
using static P2PMesh.Bootstrap.Tests.DirectoryMethods;

namespace P2PMesh.Bootstrap.Tests.Directory;

/// <summary>The index digest both sides compute (IndexDigest in P2PMesh.Contracts; docs/architecture.md, Directory).</summary>
public sealed class IndexDigestTests
{
    [Fact]
    public void Compute_Empty_Sha256OfNothing() =>
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", IndexDigest.Compute([]));

    [Fact]
    public void Compute_OneEntry_HashOfItsCanonicalLine()
    {
        var file = Entry("a b.txt", "x", chunkSize: 4);
        var line = $"1 {file.Sha256} 4 7 a b.txt\n";

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(line))), IndexDigest.Compute([file]));
    }

    [Fact]
    public void Compute_AnyOrder_SameDigest()
    {
        SharedFile[] files = [Entry("b", "2"), Entry("a", "1"), Entry("B", "3")];

        Assert.Equal(IndexDigest.Compute(files), IndexDigest.Compute(files.Reverse()));
    }

    [Theory]
    [InlineData("size")]
    [InlineData("sha256")]
    [InlineData("chunk")]
    [InlineData("name")]
    public void Compute_AnyFieldChanged_DifferentDigest(string field)
    {
        var file = Entry("a", "1");
        var changed = file.Clone();
        switch (field)
        {
            case "size": changed.Size++; break;
            case "sha256": changed.Sha256 = new string('0', 64); break;
            case "chunk": changed.ChunkSize++; break;
            default: changed.Name = "a\n1 x 1 1 b"; break;
        }

        Assert.NotEqual(IndexDigest.Compute([file]), IndexDigest.Compute([changed]));
    }
}

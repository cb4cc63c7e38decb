using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Tests.LocalMesh;

public sealed class ServiceBinariesTests : IDisposable
{
    private static readonly string[] Names = ["P2PMesh.Bootstrap", "P2PMesh.PServer", "P2PMesh.PClientApi"];
    private readonly string _root = Directory.CreateTempSubdirectory("p2pmesh-cli-bin-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Locate_EnvironmentVariable_FlatOrOneFolderPerService()
    {
        var flat = Place("flat", name => name + ".dll");
        var nested = Place("nested", name => Path.Combine(name, name + ".dll"));

        Assert.Equal(Path.Combine(flat, "P2PMesh.PServer.dll"), Locate(flat).PServer);
        Assert.Equal(Path.Combine(nested, "P2PMesh.PClientApi", "P2PMesh.PClientApi.dll"), Locate(nested).PClientApi);
    }

    [Fact]
    public void Locate_EnvironmentVariableWithoutThem_FailsRatherThanFallingBack()
    {
        var cli = Place("cli", name => Path.Combine("services", name, name + ".dll"));
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var e = Assert.Throws<FileNotFoundException>(() => ServiceBinaries.Locate(Env(empty), cli, _root));
        Assert.Contains("P2PMESH_BIN", e.Message);
        Assert.Contains(empty, e.Message);
    }

    [Fact]
    public void Locate_NextToTheCli_ServicesFolder()
    {
        var cli = Place("cli", name => Path.Combine("services", name, name + ".dll"));

        var found = ServiceBinaries.Locate(Env(null), cli, _root);

        Assert.Equal(Path.Combine(cli, "services", "P2PMesh.Bootstrap", "P2PMesh.Bootstrap.dll"), found.Bootstrap);
        Assert.Contains("the CLI's directory", found.Origin);
    }

    [Fact]
    public void Locate_CheckoutBuildOutput_FromTheCurrentDirectory()
    {
        var checkout = Place("checkout", name => Path.Combine("services", name, "bin", "Release", "net10.0", name + ".dll"));
        var cli = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        var current = Directory.CreateDirectory(Path.Combine(checkout, "tests", "deep")).FullName;

        var found = ServiceBinaries.Locate(Env(null), cli, current);

        Assert.Equal(Path.Combine(checkout, "services", "P2PMesh.PServer", "bin", "Release", "net10.0", "P2PMesh.PServer.dll"), found.PServer);
    }

    [Fact]
    public void Locate_IncompleteSet_NotFoundListingWhereItLooked()
    {
        var cli = Place("cli", name => Path.Combine("services", name, name + ".dll"));
        File.Delete(Path.Combine(cli, "services", "P2PMesh.Bootstrap", "P2PMesh.Bootstrap.dll"));

        var e = Assert.Throws<FileNotFoundException>(() => ServiceBinaries.Locate(Env(null), cli, cli));

        Assert.Contains("P2PMesh.Bootstrap.dll", e.Message);
        Assert.Contains(Path.Combine(cli, "services", "<Name>", "<Name>.dll"), e.Message);
    }

    private static ServiceBinaries Locate(string bin) => ServiceBinaries.Locate(Env(bin), "/nonexistent", "/nonexistent");

    private static Func<string, string?> Env(string? bin) => name => name == "P2PMESH_BIN" ? bin : null;

    private string Place(string folder, Func<string, string> layout)
    {
        var root = Path.Combine(_root, folder);
        foreach (var name in Names)
        {
            var path = Path.Combine(root, layout(name));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
        }
        return root;
    }
}

using P2PMesh.Cli.Commands.Get;
using P2PMesh.Cli.Commands.Put;
using P2PMesh.Cli.Commands.Search;
using P2PMesh.Cli.Commands.Up;
using P2PMesh.Cli.Tests.Infrastructure;

namespace P2PMesh.Cli.Tests.Parsing;

/// <summary>The command definitions on their own: what parses into what, and what is a usage error (exit 2).</summary>
public sealed class CliParserTests
{
    [Fact]
    public void Search_AllOptions_Parsed()
    {
        var result = CliParser.Parse(["search", "*.iso", "--ttl", "3", "--explain", "--json", "--api", "127.0.0.1:9000"]);

        Assert.Empty(result.Errors);
        Assert.Equal(["*.iso"], result.GetValue(SearchCommandDefinition.PatternArgument)!);
        Assert.Equal(3, result.GetValue(SearchCommandDefinition.TtlOption));
        Assert.True(result.GetValue(SearchCommandDefinition.ExplainOption));
        Assert.True(result.GetValue(SearchCommandDefinition.JsonOption));
        Assert.Equal(new Uri("http://127.0.0.1:9000/"), result.GetValue(SearchCommandDefinition.ApiOption));
    }

    [Fact]
    public void Search_Defaults_NoTtlNoApi()
    {
        var result = CliParser.Parse(["search", "x"]);

        Assert.Empty(result.Errors);
        Assert.Null(result.GetValue(SearchCommandDefinition.TtlOption));
        Assert.False(result.GetValue(SearchCommandDefinition.ExplainOption));
        Assert.Null(result.GetValue(SearchCommandDefinition.ApiOption));
    }

    [Fact]
    public void Get_HashAndOut_Parsed()
    {
        var result = CliParser.Parse(["get", new string('A', 64), "-o", "/tmp/x"]);

        Assert.Empty(result.Errors);
        Assert.Equal([new string('A', 64)], result.GetValue(GetCommandDefinition.TargetArgument)!);
        Assert.Equal("/tmp/x", result.GetValue(GetCommandDefinition.OutOption)!.FullName);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("*.iso", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", false)]
    public void Get_TargetIsAHashOrAPattern(string target, bool isHash)
    {
        Assert.Equal(isHash, GetCommand.TryParseSha256(target, out var sha));
        if (isHash)
        {
            Assert.Equal(target[^64..].ToLowerInvariant(), sha);
        }
    }

    [Fact]
    public void Put_ExistingFile_Parsed()
    {
        using var file = new TempFile([]);

        var result = CliParser.Parse(["put", file.Path, "--to", "peer-2", "--name", "x/y.bin"]);

        Assert.Empty(result.Errors);
        Assert.Equal(file.Path, result.GetValue(PutCommandDefinition.FileArgument)!.FullName);
        Assert.Equal("peer-2", result.GetValue(PutCommandDefinition.ToOption));
        Assert.Equal("x/y.bin", result.GetValue(PutCommandDefinition.NameOption));
    }

    [Fact]
    public void Up_Defaults()
    {
        var result = CliParser.Parse(["up", "--peers", "5"]);

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.GetValue(UpCommandDefinition.PeersOption));
        Assert.Equal(4, result.GetValue(UpCommandDefinition.DegreeOption));
        Assert.Equal(Path.GetFullPath(".p2pmesh"), result.GetValue(UpCommandDefinition.DirectoryOption)!.FullName);
        Assert.Null(result.GetValue(UpCommandDefinition.StateOption));
        Assert.Null(result.GetValue(UpCommandDefinition.ShareFromOption));
        Assert.Equal(8080, result.GetValue(UpCommandDefinition.ApiPortOption));
        Assert.Equal(120, result.GetValue(UpCommandDefinition.StartTimeoutOption));
        Assert.Empty(result.GetValue(UpCommandDefinition.PServerSettingOption) ?? []);
    }

    [Fact]
    public void Up_AllOptions_Parsed()
    {
        var share = Directory.CreateTempSubdirectory("p2pmesh-cli-parse-").FullName;
        try
        {
            var result = CliParser.Parse([
                "up", "-n", "8", "-d", "3", "--share-from", share, "--dir", "/tmp/m", "--state", "/tmp/m.json", "--api-port", "0",
                "--pserver-setting", "Search:MaxTtl=10", "--pserver-setting", "Neighbours:MaxDegree=6", "--api-setting", "Api:DefaultTtl=5"]);

            Assert.Empty(result.Errors);
            Assert.Equal(8, result.GetValue(UpCommandDefinition.PeersOption));
            Assert.Equal(3, result.GetValue(UpCommandDefinition.DegreeOption));
            Assert.Equal(share, result.GetValue(UpCommandDefinition.ShareFromOption)!.FullName);
            Assert.Equal("/tmp/m.json", result.GetValue(UpCommandDefinition.StateOption)!.FullName);
            Assert.Equal(0, result.GetValue(UpCommandDefinition.ApiPortOption));
            Assert.Equal(["Search:MaxTtl=10", "Neighbours:MaxDegree=6"], result.GetValue(UpCommandDefinition.PServerSettingOption)!);
            Assert.Equal(["Api:DefaultTtl=5"], result.GetValue(UpCommandDefinition.ApiSettingOption)!);
        }
        finally
        {
            Directory.Delete(share);
        }
    }

    [Fact]
    public void Up_Otlp_ParsedWithOptionalProtocol()
    {
        var result = CliParser.Parse(["up", "--peers", "3", "--otlp", "http://localhost:4318", "--otlp-protocol", "grpc"]);

        Assert.Empty(result.Errors);
        Assert.Equal(new Uri("http://localhost:4318"), result.GetValue(UpCommandDefinition.OtlpOption));
        Assert.Equal("grpc", result.GetValue(UpCommandDefinition.OtlpProtocolOption));
    }

    [Fact]
    public void Up_NoOtlp_NullSoChildrenInheritTheEnvironment()
    {
        var result = CliParser.Parse(["up", "--peers", "3"]);

        Assert.Empty(result.Errors);
        Assert.Null(result.GetValue(UpCommandDefinition.OtlpOption));
        Assert.Null(result.GetValue(UpCommandDefinition.OtlpProtocolOption));
    }

    [Fact]
    public async Task UpHelp_ShowsTheOtlpOptions()
    {
        var run = await CliRunner.RunAsync("up", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--otlp <URL>", run.Out);
        Assert.Contains("--otlp-protocol <grpc|http/protobuf>", run.Out);
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "search" }, "Required argument missing")]
    [InlineData(new[] { "search", "x", "--ttl", "0" }, "--ttl must be a whole number from 1 up to the mesh's maximum (10 by default), got '0'")]
    [InlineData(new[] { "search", "x", "--ttl", "many" }, "many")]
    [InlineData(new[] { "search", "x", "--api", "ftp://host" }, "--api: 'ftp://host' is not an http(s) URL")]
    [InlineData(new[] { "get" }, "Required argument missing")]
    [InlineData(new[] { "put", "/definitely/not/here.bin" }, "/definitely/not/here.bin")]
    [InlineData(new[] { "up" }, "--peers")]
    [InlineData(new[] { "up", "--peers", "0" }, "--peers must be a whole number between 1 and 64")]
    [InlineData(new[] { "up", "--peers", "3", "--degree", "lots" }, "--degree must be a whole number between 1 and 32, got 'lots'")]
    [InlineData(new[] { "up", "--peers", "2", "--share-from", "/definitely/not/here" }, "/definitely/not/here")]
    [InlineData(new[] { "up", "--peers", "2", "--pserver-setting", "novalue" }, "KEY=VALUE")]
    [InlineData(new[] { "up", "--peers", "2", "--otlp", "localhost:4317" }, "--otlp: 'localhost:4317' is not an absolute http(s) URL")]
    [InlineData(new[] { "up", "--peers", "2", "--otlp", "ftp://collector:4317" }, "is not an absolute http(s) URL")]
    [InlineData(new[] { "up", "--peers", "2", "--otlp", "http://collector:4318/v1/traces" }, "without /v1/traces")]
    [InlineData(new[] { "up", "--peers", "2", "--otlp" }, "--otlp")]
    [InlineData(new[] { "up", "--peers", "2", "--otlp", "http://c:4317", "--otlp-protocol", "http/json" }, "http/json")]
    [InlineData(new[] { "up", "--peers", "2", "--otlp-protocol", "grpc" }, "--otlp-protocol needs --otlp")]
    [InlineData(new[] { "ls", "--bogus" }, "--bogus")]
    public async Task UsageError_Exit2WithTheReasonOnStderr(string[] args, string expected)
    {
        var run = await CliRunner.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Error);
        Assert.Contains("--help' for usage", run.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("search", "--help")]
    [InlineData("up", "-h")]
    public async Task Help_Exit0OnStdout(params string[] args)
    {
        var run = await CliRunner.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains("p2pmesh", run.Out);
    }

    [Fact]
    public async Task RootHelp_ListsEveryVerb()
    {
        var run = await CliRunner.RunAsync("--help");

        foreach (var verb in new[] { "up", "search", "get", "put", "ls", "peers", "status" })
        {
            Assert.Contains($"  {verb}", run.Out);
        }
    }
}

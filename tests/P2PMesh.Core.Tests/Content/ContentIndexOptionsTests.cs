using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Content;

namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexOptionsTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Fact]
    public void Validate_Defaults_OnlyShareDirectoryMissing()
    {
        var result = new ContentIndexOptionsValidator().Validate(null, new ContentIndexOptions());

        Assert.True(result.Failed);
        Assert.Contains("ShareDirectory", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 4096, 1000, false)]
    [InlineData("  ", 4096, 1000, false)]
    [InlineData("share", 4095, 1000, false)]
    [InlineData("share", 64 * 1024 * 1024 + 1, 1000, false)]
    [InlineData("share", 4096, 99, false)]
    [InlineData("share", 4096, -1, true)]
    [InlineData("share", 64 * 1024 * 1024, 30_000, true)]
    public void Validate_Values_Expected(string share, int chunkSize, int rescanMilliseconds, bool valid)
    {
        var options = new ContentIndexOptions
        {
            ShareDirectory = share,
            ChunkSize = chunkSize,
            RescanInterval = TimeSpan.FromMilliseconds(rescanMilliseconds),
        };

        Assert.Equal(valid, new ContentIndexOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_StateDirectoryIsShare_Fails()
    {
        var options = new ContentIndexOptions { ShareDirectory = _share.Share, StateDirectory = _share.Share + Path.DirectorySeparatorChar };

        Assert.True(new ContentIndexOptionsValidator().Validate(null, options).Failed);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsOptionsValidationException() =>
        Assert.Throws<OptionsValidationException>(() => TempShare.CreateIndex(new ContentIndexOptions()));

    [Fact]
    public void Constructor_DefaultStateDirectory_IsDotP2PMeshInShare()
    {
        var index = _share.CreateIndex();

        Assert.Equal(_share.Share, index.ShareDirectory);
        Assert.Equal(Path.Join(_share.Share, ".p2pmesh"), index.StateDirectory);
    }

    [Fact]
    public async Task AddContentIndex_ContentSection_BindsOptionsAndRegistersIndexAndService()
    {
        // Arrange
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Content:ShareDirectory"] = _share.Share,
            ["Content:ChunkSize"] = "8192",
        }).Build();
        var services = new ServiceCollection().AddLogging();

        // Act
        services.AddContentIndex(configuration.GetSection(ContentIndexOptions.SectionName));
        await using var provider = services.BuildServiceProvider();

        // Assert
        var index = provider.GetRequiredService<ContentIndex>();
        Assert.Same(index, provider.GetRequiredService<ContentIndex>());
        Assert.Equal(_share.Share, index.ShareDirectory);
        Assert.Equal(8192, provider.GetRequiredService<IOptions<ContentIndexOptions>>().Value.ChunkSize);
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is ContentIndexService);
    }

    [Fact]
    public async Task AddContentIndex_MissingShareDirectory_HostFailsAtStart()
    {
        // Arrange
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddContentIndex();
        using var host = builder.Build();

        // Act + Assert
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("ShareDirectory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddContentIndex_Delegate_ConfiguresOptions()
    {
        var services = new ServiceCollection().AddLogging();

        services.AddContentIndex(o => o.ShareDirectory = _share.Share);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(_share.Share, provider.GetRequiredService<ContentIndex>().ShareDirectory);
    }
}

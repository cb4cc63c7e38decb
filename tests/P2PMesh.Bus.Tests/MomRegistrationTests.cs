using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Bus;
using P2PMesh.PServer.Tests;

namespace P2PMesh.Bus.Tests;

/// <summary>The bus is optional: no broker here.</summary>
public sealed class MomRegistrationTests
{
    [Fact]
    public async Task PServerWithoutMomUri_RegistersNoBus_AndServes()
    {
        await using var peer = await PServerHost.StartAsync("--Peer:Id=no-mom");

        Assert.Null(peer.Services.GetService<IMomSearch>());
        Assert.Null(peer.Services.GetService<MomConnection>());
        Assert.DoesNotContain(peer.Services.GetServices<IHostedService>(), s => s is IndexEventPublisher or MomSearchResponder);
        await peer.AddFileAsync("a.txt", "a"u8.ToArray());
    }

    [Theory]
    [InlineData("http://127.0.0.1:5672/")]
    [InlineData("not a uri")]
    [InlineData("amqp:///")]
    public void MomUriInvalid_FailsValidationNamingTheSetting(string uri)
    {
        var result = new MomOptionsValidator().Validate(null, new MomOptions { Uri = uri });

        Assert.True(result.Failed);
        Assert.Contains("Mom:Uri", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_RemovesThePassword()
    {
        Assert.Equal("amqp://guest@127.0.0.1:5672/", MomOptions.Redact("amqp://guest:secret@127.0.0.1:5672/"));
    }

    [Fact]
    public async Task PServerWithInvalidMomUri_DoesNotStart()
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() => PServerHost.StartAsync("--Peer:Id=bad-mom", "--Mom:Uri=http://x/"));
    }

}

using Microsoft.Extensions.Options;

namespace P2PMesh.Bootstrap.Tests;

/// <summary><see cref="BootstrapOptions"/> defaults and startup validation.</summary>
public sealed class BootstrapOptionsTests
{
    [Fact]
    public void Defaults_Valid()
    {
        var options = new BootstrapOptions();

        var result = new BootstrapOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(("0.0.0.0", 7100, 8), (options.ListenAddress, options.GrpcPort, options.SampleSize));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)), (options.HeartbeatInterval, options.PeerExpiry));
    }

    [Theory]
    [InlineData("--Bootstrap:SampleSize=0", "SampleSize")]
    [InlineData("--Bootstrap:SampleSize=101", "SampleSize")]
    [InlineData("--Bootstrap:GrpcPort=70000", "GrpcPort")]
    [InlineData("--Bootstrap:GrpcPort=-1", "GrpcPort")]
    [InlineData("--Bootstrap:PeerExpiry=00:00:10", "PeerExpiry")]
    [InlineData("--Bootstrap:PeerExpiry=00:00:05", "PeerExpiry")]
    [InlineData("--Bootstrap:HeartbeatInterval=00:00:00", "HeartbeatInterval")]
    [InlineData("--Bootstrap:ListenAddress=not-an-ip", "ListenAddress")]
    public async Task InvalidOptions_StartupFails(string setting, string property)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BootstrapHost.StartAsync(setting));

        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }
}

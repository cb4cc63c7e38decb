using P2PMesh.ServiceDefaults.Deadlines;

namespace P2PMesh.ServiceDefaults.Tests.Deadlines;

/// <summary><c>grpc-timeout</c> values as gRPC over HTTP/2 defines them: 1 to 8 digits and one of H M S m u n.</summary>
public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("300m", 3_000_000L)]
    [InlineData("1500u", 15_000L)]
    [InlineData("99999999n", 999_999L)]
    [InlineData("0m", 0L)]
    public void TryParse_ValidValues_TheirDuration(string value, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(TimeSpan.FromTicks(ticks), timeout);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData("123456789S")]
    [InlineData("1 S")]
    public void TryParse_InvalidValues_False(string? value) => Assert.False(GrpcTimeout.TryParse(value, out _));
}

using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Tests.Client;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("100n", 1L)]
    [InlineData("1n", 1L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void TryParse_ValidValues(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("123456789S")]   // nine digits
    [InlineData("1.5S")]
    public void TryParse_InvalidValues(string header) => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData(0.0005, "500n")]
    [InlineData(1, "1000000n")]
    [InlineData(300, "300000u")]
    [InlineData(100_000, "100000m")]
    [InlineData(200_000_000, "200000S")]
    public void Format_PicksFinestUnitThatFits(double milliseconds, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Format_NeverShortensTheDeadline()
    {
        foreach (var ms in new[] { 0.0001, 1.23456789, 99_999.9999, 123_456_789.0 })
        {
            var timeout = TimeSpan.FromMilliseconds(ms);
            Assert.True(GrpcTimeout.TryParse(GrpcTimeout.Format(timeout), out var parsed));
            Assert.True(parsed >= timeout, $"{ms} ms formatted as {GrpcTimeout.Format(timeout)}");
        }
    }

    [Fact]
    public void Format_Huge_CappedAtEightDigitsOfHours() => Assert.Equal("99999999H", GrpcTimeout.Format(TimeSpan.MaxValue));
}

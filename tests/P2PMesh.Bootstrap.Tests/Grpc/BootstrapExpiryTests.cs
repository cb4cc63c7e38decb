using System.Diagnostics;
using static P2PMesh.Bootstrap.Tests.BootstrapMethods;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>
/// Peer expiry over real HTTP/2 and the real clock (the manual-clock case is in
/// <see cref="BootstrapServiceTests"/>, the boundaries in PeerRegistryTests).
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class BootstrapExpiryTests
{
    private static readonly TimeSpan PeerExpiry = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Expiry_RealClock_SilentPeerDroppedHeartbeatingPeerKept()
    {
        // Arrange: peers expire 500 ms after their last heartbeat; "steady" heartbeats every 50 ms.
        await using var host = await BootstrapHost.StartAsync(
            "--Bootstrap:HeartbeatInterval=00:00:00.100", $"--Bootstrap:PeerExpiry={PeerExpiry}", "--Bootstrap:SampleSize=100");
        var silent = Peer("silent", 7000);
        var steady = Peer("steady", 7001);
        await host.Channel.JoinAsync(silent);
        var sinceSteadyJoinSent = Stopwatch.StartNew();
        await host.Channel.JoinAsync(steady);
        using var stop = new CancellationTokenSource();
        var keepAlive = Task.Run(() => KeepAliveAsync(host, steady, sinceSteadyJoinSent, stop.Token));

        int conclusive;
        try
        {
            // Act
            var dropped = await Poll.UntilAsync(async () => !(await host.Channel.ListPeerIdsAsync()).Contains("silent"), TimeSpan.FromSeconds(10));

            // Assert
            Assert.True(dropped, "the silent peer never expired");
            Assert.DoesNotContain("silent", (await host.Channel.JoinAsync(Peer("late", 7002))).Neighbours.Select(p => p.Id));
            Assert.False(await host.Channel.HeartbeatAsync(silent));
            Assert.True(await Poll.UntilAsync(async () => (await host.Channel.ListPeerIdsAsync()).Contains("steady"), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await stop.CancelAsync();
            conclusive = await keepAlive;
        }
        Assert.True(conclusive > 0, "every heartbeat was delayed past the expiry: the machine is too busy for this test to prove anything");
    }

    /// <summary>
    /// Heartbeats <paramref name="peer"/> every 50 ms until cancelled and asserts it is known whenever the
    /// previous Join or Heartbeat (<paramref name="sincePreviousSend"/> runs from its sending) was sent
    /// less than <see cref="PeerExpiry"/> before this one's answer came back
    /// (then the server saw the two less than the expiry apart, so forgetting the peer is a bug). After a
    /// longer stall of this process, forgetting it is correct: it joins again. Returns how many
    /// heartbeats were conclusive.
    /// </summary>
    private static async Task<int> KeepAliveAsync(BootstrapHost host, V1.PeerInfo peer, Stopwatch sincePreviousSend, CancellationToken cancellationToken)
    {
        var conclusive = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var sendGap = sincePreviousSend.Elapsed;
            sincePreviousSend.Restart();
            var known = await host.Channel.HeartbeatAsync(peer);
            var window = sendGap + sincePreviousSend.Elapsed;
            if (window < PeerExpiry)
            {
                conclusive++;
                Assert.True(known, $"{peer.Id} was forgotten although its heartbeats were at most {window.TotalMilliseconds:F0} ms apart");
            }
            else if (!known)
            {
                await host.Channel.JoinAsync(peer);
            }
            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return conclusive;
    }
}

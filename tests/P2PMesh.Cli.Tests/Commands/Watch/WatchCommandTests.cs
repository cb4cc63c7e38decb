using System.CommandLine;
using System.Text;
using System.Text.Json;
using P2PMesh.Cli.Commands.Up;
using P2PMesh.Cli.Tests.Infrastructure;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PClientApi.Tests;
using P2PMesh.PServer.Tests;
using P2PMesh.Testing.Bus;

namespace P2PMesh.Cli.Tests.Commands.Watch;

/// <summary><c>p2pmesh watch</c> against a real PClient-API on a real broker, and the parsing of <c>watch</c> and <c>up --mom</c>.</summary>
public sealed class WatchCommandTests(RabbitMqBroker broker) : IClassFixture<RabbitMqBroker>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watch_AFileIsAddedOnAnotherPeer_PrintsItsJsonUntilCtrlC()
    {
        // Arrange: peer a's API, peer b adding the file; the CLI runs in-process until cancelled (Ctrl-C).
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var a = await PServerHost.StartAsync($"--Peer:Id=cliwatch-{run}-a", broker.MomSetting);
        await using var b = await PServerHost.StartAsync($"--Peer:Id=cliwatch-{run}-b", broker.MomSetting);
        await using var api = await ApiHost.StartAsync(a.PeerAddress, broker.MomSetting);
        var output = new WatchedWriter();
        var error = new WatchedWriter();
        using var ctrlC = new CancellationTokenSource();
        var watch = CliParser.InvokeAsync(
            ["watch", $"*-{run}.iso", "--json", "--api", api.Client.BaseAddress!.ToString()],
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, ctrlC.Token);

        // Act
        await error.Contains("watching").WaitAsync(Patience);
        await b.AddFileAsync($"image-{run}.iso", "bytes of an image"u8.ToArray());
        await output.Contains($"image-{run}.iso").WaitAsync(Patience);
        await ctrlC.CancelAsync();
        var exitCode = await watch.WaitAsync(Patience);

        // Assert
        Assert.Equal(ExitCodes.Cancelled, exitCode);
        var file = JsonSerializer.Deserialize<WatchedFile>(output.ToString().Split('\n')[0], JsonSerializerOptions.Web)!;
        Assert.Equal($"image-{run}.iso", file.Name);
        Assert.Equal($"cliwatch-{run}-b", file.PeerId);
        Assert.Equal(b.PeerAddress, file.Address);
    }

    [Fact]
    public async Task Watch_ApiWithoutMomUri_PrintsTheProblemNamingTheSetting_Exit1()
    {
        await using var peer = await PServerHost.StartAsync("--Peer:Id=cliwatch-no-mom");
        await using var api = await ApiHost.StartAsync(peer.PeerAddress);

        var run = await CliRunner.RunAsync("watch", "*.iso", "--api", api.Client.BaseAddress!.ToString());

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("Mom:Uri", run.Error, StringComparison.Ordinal);
        Assert.Contains("501", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local", true)]
    [InlineData("amqp://guest:guest@127.0.0.1:5672/", true)]
    [InlineData("amqps://broker.example:5671/vhost", true)]
    [InlineData("http://127.0.0.1:5672/", false)]
    [InlineData("rabbit", false)]
    public void Up_Mom_AcceptsAnAmqpUriOrLocal(string value, bool valid)
    {
        var result = CliParser.Parse(["up", "--peers", "1", "--mom", value]);

        Assert.Equal(valid, result.Errors.Count == 0);
        if (valid)
        {
            Assert.Equal(value, result.GetValue(UpCommandDefinition.MomOption));
        }
        else
        {
            Assert.Contains(result.Errors, e => e.Message.Contains("--mom", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Up_Broker_NeverShowsThePassword()
    {
        Assert.Equal("amqp://guest@broker:5672/", UpCommand.Broker(new Uri("amqp://guest:secret@broker:5672/"), null));
        Assert.Null(UpCommand.Broker(null, null));
    }

    [Fact]
    public void Watch_ShellExpandedGlob_IsAParseError()
    {
        var result = CliParser.Parse(["watch", "a.iso", "b.iso"]);

        Assert.Contains(result.Errors, e => e.Message.Contains("p2pmesh watch '*.iso'", StringComparison.Ordinal));
    }

    /// <summary>A writer a test can wait on: completes a task once the text written so far contains a value.</summary>
    private sealed class WatchedWriter : StringWriter
    {
        private readonly Lock _lock = new();
        private readonly List<(string Value, TaskCompletionSource Seen)> _waits = [];

        public Task Contains(string value)
        {
            lock (_lock)
            {
                var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (GetStringBuilder().ToString().Contains(value, StringComparison.Ordinal))
                {
                    seen.SetResult();
                }
                else
                {
                    _waits.Add((value, seen));
                }
                return seen.Task;
            }
        }

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
                Check();
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_lock)
            {
                base.Write(buffer, index, count);
                Check();
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
                Check();
            }
        }

        public override Encoding Encoding => Encoding.UTF8;

        public override string ToString()
        {
            lock (_lock)
            {
                return base.ToString();
            }
        }

        private void Check()
        {
            var text = GetStringBuilder().ToString();
            _waits.RemoveAll(w => text.Contains(w.Value, StringComparison.Ordinal) && w.Seen.TrySetResult());
        }
    }
}

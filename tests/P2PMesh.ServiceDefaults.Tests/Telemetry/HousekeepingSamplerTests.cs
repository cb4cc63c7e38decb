using System.Diagnostics;
using OpenTelemetry.Trace;
using P2PMesh.Core.Peers;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// <see cref="HousekeepingSampler"/>'s decisions, asked directly with the parameters the SDK would pass: housekeeping
/// never starts a trace, whatever the configured sampler; everything else is the configured sampler's.
/// </summary>
public sealed class HousekeepingSamplerTests
{
    private const string RequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private static readonly ActivityContext Root = default;

    private static readonly HousekeepingCalls Housekeeping = new(PeerMethods.Housekeeping);

    public static TheoryData<string> ConfiguredSamplers => ["always_on", "parentbased_always_on", "traceidratio", "parentbased_traceidratio"];

    [Theory]
    [MemberData(nameof(ConfiguredSamplers))]
    public void ShouldSample_HousekeepingRpcAsRoot_Drop(string configured)
    {
        var sampler = Create(configured);
        foreach (var path in Housekeeping.GrpcMethods)
        {
            foreach (var kind in new[] { ActivityKind.Client, ActivityKind.Server })
            {
                Assert.Equal(SamplingDecision.Drop, Decide(sampler, Root, path[1..], kind));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ConfiguredSamplers))]
    public void ShouldSample_HousekeepingRequestAsRoot_Drop(string configured)
    {
        var sampler = Create(configured);
        foreach (var path in Housekeeping.GrpcMethods.Concat(HousekeepingCalls.HttpProbePaths))
        {
            Assert.Equal(SamplingDecision.Drop, Decide(sampler, Root, RequestActivity, ActivityKind.Server, Tags(path)));
        }
    }

    [Theory]
    [MemberData(nameof(ConfiguredSamplers))]
    public void ShouldSample_UserWorkAsRoot_ConfiguredSamplerDecides(string configured)
    {
        var sampler = Create(configured);

        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Root, "p2pmesh.v1.Peer/Search", ActivityKind.Server));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Root, "p2pmesh.v1.Peer/ReadChunks", ActivityKind.Client));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Root, RequestActivity, ActivityKind.Server, Tags("/api/search")));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Root, RequestActivity, ActivityKind.Server, tags: null));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Root, "p2pmesh.search", ActivityKind.Internal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ShouldSample_HousekeepingInsideASampledTrace_ConfiguredSamplerDecides(bool remote)
    {
        var sampler = Create("parentbased_always_on");
        var parent = Parent(sampled: true, remote);

        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, parent, "p2pmesh.v1.Peer/Link", ActivityKind.Client));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, parent, "p2pmesh.v1.Peer/GetNeighbours", ActivityKind.Server));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, parent, RequestActivity, ActivityKind.Server, Tags("/healthz")));
    }

    [Fact]
    public void ShouldSample_AlwaysOn_HousekeepingUnderAnUnsampledRemoteParent_Drop()
    {
        // The server half of a call whose client dropped it: always_on alone would sample it (a trace with no root).
        var sampler = Create("always_on");
        var parent = Parent(sampled: false, remote: true);

        Assert.Equal(SamplingDecision.Drop, Decide(sampler, parent, "p2pmesh.v1.Peer/Ping", ActivityKind.Server));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, parent, RequestActivity, ActivityKind.Server, Tags("/p2pmesh.v1.Peer/Ping")));

        // Anything else under an unsampled remote parent: always_on's to decide, as before.
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, parent, "p2pmesh.v1.Peer/Search", ActivityKind.Server));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, parent, RequestActivity, ActivityKind.Server, Tags("/api/search")));
    }

    [Theory]
    [MemberData(nameof(ConfiguredSamplers))]
    public void ShouldSample_UnderAnUnsampledLocalParent_Drop(string configured)
    {
        // What a dropped housekeeping call does: its HttpClient request, the calls it makes.
        var sampler = Create(configured);
        var parent = Parent(sampled: false, remote: false);

        Assert.Equal(SamplingDecision.Drop, Decide(sampler, parent, "System.Net.Http.HttpRequestOut", ActivityKind.Client));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, parent, "p2pmesh.v1.Peer/Search", ActivityKind.Client));
    }

    [Theory]
    [InlineData("always_off")]
    [InlineData("parentbased_always_off")]
    public void ShouldSample_SamplerOff_EverythingDropped(string configured)
    {
        var sampler = Create(configured);

        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Root, "p2pmesh.v1.Peer/Search", ActivityKind.Server));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Root, RequestActivity, ActivityKind.Server, Tags("/api/search")));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Root, "p2pmesh.v1.Peer/Ping", ActivityKind.Server));
    }

    [Fact]
    public void Description_NamesTheConfiguredSampler()
    {
        Assert.Equal("HousekeepingSampler{ParentBased{AlwaysOnSampler}}", Create("parentbased_always_on").Description);
    }

    private static HousekeepingSampler Create(string configured) =>
        new(ConfiguredSampler.Create(new OtlpSettings(null, null) { TracesSampler = configured }), Housekeeping);

    private static ActivityContext Parent(bool sampled, bool remote) =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: remote);

    private static KeyValuePair<string, object?>[] Tags(string path) =>
        [new("http.request.method", "GET"), new("url.scheme", "http"), new("url.path", path)];

    private static SamplingDecision Decide(HousekeepingSampler sampler, ActivityContext parent, string name, ActivityKind kind, KeyValuePair<string, object?>[]? tags = null)
    {
        var traceId = parent.TraceId == default ? ActivityTraceId.CreateRandom() : parent.TraceId;
        return sampler.ShouldSample(new SamplingParameters(parent, traceId, name, kind, tags)).Decision;
    }
}

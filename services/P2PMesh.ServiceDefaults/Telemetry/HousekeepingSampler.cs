using System.Diagnostics;
using OpenTelemetry.Trace;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Wraps the configured sampler (<see cref="ConfiguredSampler"/>) so that the host's housekeeping calls
/// (<see cref="HousekeepingCalls"/>) never start a trace. Before the configured sampler is asked, it drops:
/// <list type="bullet">
/// <item>a housekeeping span whose parent, local or remote, is absent or not sampled: the gRPC client or server span
/// of a housekeeping method (its name, <c>{rpc.service}/{rpc.method}</c>), or ASP.NET Core's request span of a probe
/// or of such a method (its <c>url.path</c>, which ASP.NET Core 10 gives the sampler when the activity is created,
/// see <see cref="HttpServerSpans"/>);</item>
/// <item>any span whose parent is in this process and was not sampled: what a dropped call does (its HttpClient
/// request, the calls it makes) stays out with it, even under <c>always_on</c>, which would otherwise sample it
/// into a trace with no root.</item>
/// </list>
/// Everything else is the configured sampler's to decide, so a housekeeping call made inside a sampled trace is
/// traced as before. With the <c>parentbased_*</c> samplers (the default among them) the second rule and the
/// remote-parent half of the first decide nothing the configured sampler would not decide alike; with
/// <c>always_on</c> they keep the server half of a dropped call out as well.
/// </summary>
/// <remarks>
/// A dropped root still gets an activity (the SDK answers <c>PropagationData</c>), whose unsampled
/// <c>traceparent</c> goes out with the calls made under it, so the callee drops its half too. The probes are told
/// apart by <c>url.path</c> alone, which ASP.NET Core 10 adds only with <see cref="HttpServerSpans.SuppressSwitch"/>
/// off (what <see cref="HttpServerSpans.Add"/> sets unless the switch was set explicitly): with it on, the probes are
/// sampled like any request, while housekeeping gRPC calls are still kept out by their gRPC spans. The sampler is not
/// told the activity's source, so a span of any source named like a housekeeping gRPC span counts as one.
/// </remarks>
internal sealed class HousekeepingSampler : Sampler
{
    /// <summary>The operation name of ASP.NET Core's request activity when it is created (and sampled).</summary>
    private const string AspNetCoreRequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private const string UrlPath = "url.path";

    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    private readonly HousekeepingCalls _housekeeping;

    /// <summary>Wraps <paramref name="configured"/>, keeping <paramref name="housekeeping"/> out of it.</summary>
    public HousekeepingSampler(Sampler configured, HousekeepingCalls housekeeping)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(housekeeping);
        Configured = configured;
        _housekeeping = housekeeping;
        Description = $"{nameof(HousekeepingSampler)}{{{configured.Description}}}";
    }

    /// <summary>The sampler that decides everything but housekeeping.</summary>
    public Sampler Configured { get; }

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        var parentSampled = (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0;
        if (!parentSampled && ((parent.TraceId != default && !parent.IsRemote) || IsHousekeeping(samplingParameters)))
        {
            return Drop;
        }
        return Configured.ShouldSample(samplingParameters);
    }

    private bool IsHousekeeping(in SamplingParameters samplingParameters) =>
        _housekeeping.IsRpcSpanName(samplingParameters.Name)
        || (samplingParameters.Name == AspNetCoreRequestActivity && GetUrlPath(samplingParameters.Tags) is { } path && _housekeeping.IsRequestPath(path));

    private static string? GetUrlPath(IEnumerable<KeyValuePair<string, object?>>? tags)
    {
        if (tags is null)
        {
            return null;
        }
        foreach (var (key, value) in tags)
        {
            if (key == UrlPath)
            {
                return value as string;
            }
        }
        return null;
    }
}

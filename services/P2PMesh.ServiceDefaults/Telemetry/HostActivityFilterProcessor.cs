using System.Diagnostics;
using OpenTelemetry;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Passes to <c>inner</c> (the export processor) only the recorded activities that <c>scope</c> says
/// this host owns, so that each host's tracer provider exports its own spans once, under its own
/// resource, even with other hosts' providers in the same process. A <see cref="CompositeProcessor{T}"/>
/// so that the SDK hands the provider (and with it the resource) down to the exporter.
/// </summary>
internal sealed class HostActivityFilterProcessor(HostTelemetryScope scope, BaseProcessor<Activity> inner)
    : CompositeProcessor<Activity>([inner])
{
    public override void OnStart(Activity data)
    {
        if (scope.Owns(data))
        {
            base.OnStart(data);
        }
    }

    public override void OnEnd(Activity data)
    {
        // Activities that are not recorded (e.g. ASP.NET Core's request activity of a gRPC call, demoted in
        // favour of the gRPC server span) are left out by the export processor itself.
        if (scope.Owns(data))
        {
            base.OnEnd(data);
        }
    }
}

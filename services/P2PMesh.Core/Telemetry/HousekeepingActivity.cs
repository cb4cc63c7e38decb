using System.Diagnostics;

namespace P2PMesh.Core.Telemetry;

/// <summary>
/// Runs housekeeping (neighbour maintenance, bootstrap heartbeats) outside any trace (docs/architecture.md,
/// Observability): <see cref="Start"/> makes <see cref="Activity.Current"/> an activity whose trace is not sampled,
/// so the calls made under it are dropped by the parent-based samplers (the default) on both sides, and carry
/// an unsampled <c>traceparent</c> (W3C Trace Context, flags <c>00</c>) to the callee. Nothing listens to it and
/// nothing exports it.
/// </summary>
public static class HousekeepingActivity
{
    /// <summary>The activity's operation name.</summary>
    public const string OperationName = "p2pmesh.housekeeping";

    /// <summary>Starts the unsampled activity; dispose it to restore the previous <see cref="Activity.Current"/>.</summary>
    public static Activity Start()
    {
        var activity = new Activity(OperationName);
        activity.SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        return activity.Start();
    }
}

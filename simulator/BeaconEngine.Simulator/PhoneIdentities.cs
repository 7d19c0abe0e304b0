using System.Collections.Concurrent;
using BeaconEngine.Proximity.Rotation;

namespace BeaconEngine.Simulator;

/// <summary>What a rotating store gave a phone at enrolment: its rotation secret and the period's length.</summary>
public sealed record PhoneRotation(byte[] Secret, int PeriodSeconds);

/// <summary>
/// The iBeacon identity each simulated phone advertises at a moment. A phone of a static store sends its enrolment's
/// identity for ever; a phone of a rotating store derives each period's identity from its secret with the engine's own
/// derivation (<see cref="RotatingIdentity"/>), as an app does, and switches at each period's start, so periods roll
/// during a run. Thread-safe: every gateway asks from its own task.
/// </summary>
public sealed class PhoneIdentities(IReadOnlyList<Enrolment> enrolments)
{
    private readonly Current?[] _current = new Current?[enrolments.Count];
    private readonly ConcurrentDictionary<long, byte> _periods = new();
    private long _switches;

    public bool Rotating { get; } = enrolments.Any(e => e.Rotation is not null);

    /// <summary>Identities derived: one per phone per period it advertised in.</summary>
    public long Switches => Interlocked.Read(ref _switches);

    /// <summary>The periods the phones advertised in.</summary>
    public int Periods => _periods.Count;

    /// <summary>The major and minor phone <paramref name="shopper"/> advertises at <paramref name="unixMs"/> (the sighting's time).</summary>
    public (int Major, int Minor) At(int shopper, long unixMs)
    {
        var enrolment = enrolments[shopper];
        if (enrolment.Rotation is not { } rotation)
        {
            return (enrolment.Major, enrolment.Minor);
        }

        var period = RotatingIdentity.PeriodOf(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), rotation.PeriodSeconds);
        var current = Volatile.Read(ref _current[shopper]);
        if (current is null || current.Period != period)
        {
            var identity = RotatingIdentity.Derive(rotation.Secret, enrolment.Uuid, period);
            current = new Current(period, identity.Major, identity.Minor);
            Volatile.Write(ref _current[shopper], current);
            Interlocked.Increment(ref _switches);
            _periods.TryAdd(period, 0);
        }

        return (current.Major, current.Minor);
    }

    private sealed record Current(long Period, int Major, int Minor);
}

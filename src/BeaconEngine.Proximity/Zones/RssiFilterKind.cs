namespace BeaconEngine.Proximity.Zones;

/// <summary>How a gateway's readings of one shopper are turned into one level.</summary>
public enum RssiFilterKind
{
    /// <summary>
    /// A percentile (by default the 70th) of the readings in a short sliding window: the default. BLE
    /// fading pulls readings down in deep, short dips; a rank statistic ignores them and any single spike,
    /// and follows a walk within half a window. Measured best of the three on the Kolakowski walk
    /// (see benchmarks/RESULTS.md).
    /// </summary>
    WindowMedian,

    /// <summary>Exponential moving average with weight <see cref="ZoneResolverOptions.SmoothingAlpha"/> per reading.</summary>
    Exponential,

    /// <summary>
    /// Exponential smoothing over time, with the time constant <see cref="ZoneResolverOptions.SmoothingSeconds"/>:
    /// the same seconds of memory whatever rate a phone advertises at.
    /// </summary>
    Smoothed,

    /// <summary>One-dimensional Kalman filter on a constant-level model (process and measurement noise from the options).</summary>
    Kalman,
}

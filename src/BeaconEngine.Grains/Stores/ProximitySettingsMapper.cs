using BeaconEngine.Contracts.Stores;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Stores;

/// <summary>Applies a store's proximity overrides to the engine defaults.</summary>
public static class ProximitySettingsMapper
{
    /// <summary>
    /// The effective options; throws <see cref="ArgumentException"/> naming the setting when a value is
    /// out of range or the filter is unknown.
    /// </summary>
    public static ZoneResolverOptions Apply(ZoneResolverOptions defaults, ProximitySettings? settings)
    {
        if (settings is null)
        {
            return defaults;
        }

        var options = defaults with
        {
            EnterRssiDbm = settings.EnterRssiDbm ?? defaults.EnterRssiDbm,
            EnterSightings = settings.EnterSightings ?? defaults.EnterSightings,
            EnterWindow = Seconds(settings.EnterWindowSeconds, defaults.EnterWindow, "enterWindowSeconds"),
            Filter = settings.Filter is null ? defaults.Filter : Filter(settings.Filter),
            Window = Seconds(settings.WindowSeconds, defaults.Window, "windowSeconds"),
            WindowPercentile = settings.WindowPercentile ?? defaults.WindowPercentile,
            WindowMinReadings = settings.WindowMinReadings ?? defaults.WindowMinReadings,
            SpikeDb = settings.SpikeDb ?? defaults.SpikeDb,
            SmoothingAlpha = settings.SmoothingAlpha ?? defaults.SmoothingAlpha,
            SwitchMarginDb = settings.SwitchMarginDb ?? defaults.SwitchMarginDb,
            MinDwell = Seconds(settings.MinDwellSeconds, defaults.MinDwell, "minDwellSeconds"),
            NonAdjacentConfirm = Seconds(settings.NonAdjacentConfirmSeconds, defaults.NonAdjacentConfirm, "nonAdjacentConfirmSeconds"),
            GatewayStaleAfter = Seconds(settings.GatewayStaleAfterSeconds, defaults.GatewayStaleAfter, "gatewayStaleAfterSeconds"),
            ExitTimeout = Seconds(settings.ExitTimeoutSeconds, defaults.ExitTimeout, "exitTimeoutSeconds"),
            ExitRssiDbm = settings.ExitRssiDbm ?? defaults.ExitRssiDbm,
            DwellTick = Seconds(settings.DwellTickSeconds, defaults.DwellTick, "dwellTickSeconds"),
            SmoothingSeconds = settings.SmoothingSeconds ?? defaults.SmoothingSeconds,
            ZoneLeadDb = settings.ZoneLeadDb ?? defaults.ZoneLeadDb,
            SignalSigmaDb = settings.SignalSigmaDb ?? defaults.SignalSigmaDb,
            LeaveRatePerSecond = settings.LeaveRatePerSecond ?? defaults.LeaveRatePerSecond,
            FarShare = settings.FarShare ?? defaults.FarShare,
            SwitchMargin = settings.SwitchMargin ?? defaults.SwitchMargin,
            MinConfidence = settings.MinConfidence ?? defaults.MinConfidence,
        };
        options.Validate();
        return options;
    }

    /// <summary>Every effective value, for showing a store's settings.</summary>
    public static ProximitySettings Describe(ZoneResolverOptions o) => new()
    {
        EnterRssiDbm = o.EnterRssiDbm,
        EnterSightings = o.EnterSightings,
        EnterWindowSeconds = o.EnterWindow.TotalSeconds,
        Filter = o.Filter switch
        {
            RssiFilterKind.Exponential => "exponential",
            RssiFilterKind.Kalman => "kalman",
            RssiFilterKind.Smoothed => "smoothed",
            _ => "windowPercentile",
        },
        WindowSeconds = o.Window.TotalSeconds,
        WindowPercentile = o.WindowPercentile,
        WindowMinReadings = o.WindowMinReadings,
        SpikeDb = o.SpikeDb,
        SmoothingAlpha = o.SmoothingAlpha,
        SwitchMarginDb = o.SwitchMarginDb,
        MinDwellSeconds = o.MinDwell.TotalSeconds,
        NonAdjacentConfirmSeconds = o.NonAdjacentConfirm.TotalSeconds,
        GatewayStaleAfterSeconds = o.GatewayStaleAfter.TotalSeconds,
        ExitTimeoutSeconds = o.ExitTimeout.TotalSeconds,
        ExitRssiDbm = o.ExitRssiDbm,
        DwellTickSeconds = o.DwellTick.TotalSeconds,
        SmoothingSeconds = o.SmoothingSeconds,
        ZoneLeadDb = o.ZoneLeadDb,
        SignalSigmaDb = o.SignalSigmaDb,
        LeaveRatePerSecond = o.LeaveRatePerSecond,
        FarShare = o.FarShare,
        SwitchMargin = o.SwitchMargin,
        MinConfidence = o.MinConfidence,
    };

    private static TimeSpan Seconds(double? value, TimeSpan fallback, string name) => value switch
    {
        null => fallback,
        double v when double.IsFinite(v) && v is >= 0 and <= 3600 => TimeSpan.FromSeconds(v),
        _ => throw new ArgumentOutOfRangeException(name, $"{name} must be between 0 and 3600 seconds."),
    };

    private static RssiFilterKind Filter(string filter) => filter.Trim().ToLowerInvariant() switch
    {
        "windowpercentile" or "window-percentile" or "median" => RssiFilterKind.WindowMedian,
        "exponential" or "ema" => RssiFilterKind.Exponential,
        "kalman" => RssiFilterKind.Kalman,
        "smoothed" => RssiFilterKind.Smoothed,
        _ => throw new ArgumentException("filter must be \"smoothed\", \"windowPercentile\", \"exponential\" or \"kalman\".", nameof(filter)),
    };
}

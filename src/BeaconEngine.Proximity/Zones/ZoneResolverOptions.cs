namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Parameters of the <see cref="ZoneResolver"/>. Every default is chosen for a reason given beside it,
/// from BLE physics and shopper behaviour, not fitted to one recording; every one can be set per store.
/// </summary>
public sealed record ZoneResolverOptions
{
    /// <summary>A sighting at least this strong counts towards placing a shopper (the contract's -70 dBm).</summary>
    public double EnterRssiDbm { get; init; } = -70;

    /// <summary>How many strong sightings within <see cref="EnterWindow"/> confirm a zone (the contract's 3).</summary>
    public int EnterSightings { get; init; } = 3;

    /// <summary>The window for <see cref="EnterSightings"/> (the contract's 3 seconds).</summary>
    public TimeSpan EnterWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How each gateway's readings are smoothed; see <see cref="RssiFilterKind"/> for why the median is the default.</summary>
    public RssiFilterKind Filter { get; init; } = RssiFilterKind.Smoothed;

    /// <summary>
    /// Length of the window. Three seconds is the contract's own confirmation window: it holds about 15
    /// advertisements of a phone at 5 Hz (enough to outvote fading dips) and 3 of a phone at 1 Hz, and a
    /// walking shopper (about 1 m/s) covers about one aisle's width in it.
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Which percentile of the window's readings is the level (nearest rank). Fading makes readings
    /// dip far more than rise, so the level the shopper's position implies sits above the middle of
    /// the window; 0.5 is the plain median.
    /// </summary>
    public double WindowPercentile { get; init; } = 0.7;

    /// <summary>
    /// The window stretches to hold at least this many readings (at most to <see cref="GatewayStaleAfter"/>),
    /// so a phone that advertises once a second is not judged on a single reading.
    /// </summary>
    public int WindowMinReadings { get; init; } = 3;

    /// <summary>
    /// A reading this far above the window's median is discarded as a spike: multipath fading makes
    /// readings drop far more often than rise, so a sudden rise of 20 dB is almost never the shopper moving.
    /// </summary>
    public double SpikeDb { get; init; } = 20;

    /// <summary>Weight of a new reading for <see cref="RssiFilterKind.Exponential"/>.</summary>
    public double SmoothingAlpha { get; init; } = 0.3;

    /// <summary>Process noise (dB² per second) of <see cref="RssiFilterKind.Kalman"/>: a walking shopper changes level by about 1 dB a second.</summary>
    public double KalmanProcessNoise { get; init; } = 1;

    /// <summary>Measurement noise (dB²) of <see cref="RssiFilterKind.Kalman"/>: BLE jitter of 4 dB standard deviation.</summary>
    public double KalmanMeasurementNoise { get; init; } = 16;

    /// <summary>A gateway not heard for this long no longer competes for the shopper.</summary>
    public TimeSpan GatewayStaleAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time constant of <see cref="RssiFilterKind.Smoothed"/>, seconds: about 8 advertisements of a phone
    /// at 5 Hz and 2 of one at 1 Hz; a walking shopper covers about 1.5 m in it. The defaults of the zone
    /// model (this, <see cref="ZoneLeadDb"/>, <see cref="LeaveRatePerSecond"/>, <see cref="SwitchMargin"/>)
    /// were chosen together, by the mean accuracy over both public Kolakowski walks with zone changes at
    /// most 1.5 times the true ones on each, from the middle of a region where neighbouring values do
    /// about as well (benchmarks/RESULTS.md), not by the best figure on one walk.
    /// </summary>
    public double SmoothingSeconds { get; init; } = 1.0;

    /// <summary>
    /// How far (dB) an uncalibrated zone expects its own gateways to lead the others': the gateway in
    /// the aisle typically leads one an aisle away by 5-10 dB (a path-loss exponent of 2 to 3 over a
    /// distance ratio of 2 to 3).
    /// </summary>
    public double ZoneLeadDb { get; init; } = 10;

    /// <summary>Spread (dB) of a filtered level around what a zone expects: BLE's usual 5-7 dB.</summary>
    public double SignalSigmaDb { get; init; } = 5;

    /// <summary>
    /// Uncalibrated, when the layout places every gateway: the log-distance path-loss exponent of the zone
    /// model's prior, the level a gateway is expected to read falling by <c>10 n</c> dB per decade of distance
    /// (2 in free space, 2-4 indoors between shelves, walls and people). 2.5 to 3 scored alike (benchmarks/RESULTS.md).
    /// </summary>
    public double PathLossExponent { get; init; } = 3;

    /// <summary>
    /// Uncalibrated, with positions: how far above a shopper's phone the gateways hang, metres (a ceiling at
    /// 2.5-3 m, a phone at hip or hand height), so a shopper under a gateway is not expected infinitely loud.
    /// 0.8 to 1.6 scored alike.
    /// </summary>
    public double GatewayHeightMetres { get; init; } = 1;

    /// <summary>
    /// Uncalibrated, with positions: how much of a zone's evidence the path-loss prior gives (the rest is the
    /// lead rule, <see cref="ZoneLeadDb"/>). 0 ignores positions; 1 trusts the prior alone. Real rooms bend the
    /// prior (walls, a receiver mounted lower), and the lead rule's share keeps its zone changes in hand: 0.85 was
    /// the best mean over both public walks and the simulator, at 1 Hz and 5 Hz; 0.7 and 1 scored below the lead rule
    /// alone (benchmarks/RESULTS.md, 2026-12-04).
    /// </summary>
    public double GeometryWeight { get; init; } = 0.85;

    /// <summary>
    /// Calibrated zones: how far (dB, one standard deviation) a shopper's phone may transmit louder or
    /// softer than the calibration walk's device. The model fits each moment's offset, held to this prior;
    /// 3 to 6 dB scored alike on both public walks and the simulator's calibrated runs (benchmarks/RESULTS.md).
    /// </summary>
    public double DeviceOffsetSigmaDb { get; init; } = 4;

    /// <summary>
    /// Calibrated zones: how far the levels a calibration walk measured are shrunk towards what the uncalibrated
    /// model expects there (0 trusts the walk alone; 1 keeps the prior's pattern, lined up with the walk's levels).
    /// One walk is one device on one route, a few minutes a zone: its means carry where in the zone it went, not
    /// only the room. Applied when the model is built (the per-sighting score is unchanged) and only with the
    /// store's layout known (gateways' zones, and positions for the path-loss part). Left off (0) by the
    /// cross-validation (both public walks each calibrated on the other, row by row and batched, the simulator's calibrated
    /// cell at 1 Hz and 5 Hz; benchmarks/RESULTS.md, 2026-12-04 14:26 UTC): every weight from 0.15 to 1 lowers calibration_walk1
    /// calibrated on the robot walk (78.6 % batched at 0, 77.3 % at 0.15, 74.1 % at 0.5; rows never above 76.4 %) and the mean
    /// calibrated accuracy (83.9 % at 0, 83.6 % at 0.15, 81.3 % at 1),
    /// whichever prior pattern it shrinks towards (the zone's best-fitting point, its mean, the lead rule alone); it helps
    /// only the simulator's short walks (20 s a zone: 91.2 % to 92.2 % at 0.3), where the walk's means are noisy.
    /// </summary>
    public double CalibrationPriorWeight { get; init; }

    /// <summary>
    /// Learning the shopper's device offset, seconds; 0 (the default) is off. A phone's level differs from the
    /// model's (the path-loss prior's level at 1 m, or the calibration walk's device) by a gain that belongs to the
    /// device and the body carrying it, not to the moment. Off, each moment fits its own offset (freely against the
    /// path-loss prior, held to <see cref="DeviceOffsetSigmaDb"/> around 0 when calibrated), so only the pattern
    /// across gateways places the shopper. On, each shopper's resolver learns the offset online: the offset the most
    /// probable zone fitted at each step, weighed by its probability, averaged over this time constant (a running
    /// mean until then, each step's change bounded to two <see cref="SignalSigmaDb"/>); each moment's offset is then
    /// held to <see cref="DeviceOffsetDriftDb"/> around it, so the absolute level carries position too. Left off by the
    /// cross-validation (both public walks row by row and batched, each calibrated on the other, the simulator at 1 Hz
    /// and 5 Hz; benchmarks/RESULTS.md, 2026-12-04 14:04 UTC): its best cells (120-300 s, drift 1 dB) gained 0.5 points of
    /// mean uncalibrated accuracy but lost 1.5 on calibration_walk1 batched and 1.1-1.6 on the robot walk calibrated on
    /// walk1, with neighbouring cells below off. Both public walks carry the same tag, so there is little offset to learn.
    /// </summary>
    public double DeviceOffsetLearningSeconds { get; init; }

    /// <summary>
    /// With <see cref="DeviceOffsetLearningSeconds"/> on: how far (dB, one standard deviation) a moment's offset may
    /// stray from the shopper's learnt one (the phone turned in the hand, the body between phone and gateways).
    /// </summary>
    public double DeviceOffsetDriftDb { get; init; } = 3;

    /// <summary>
    /// How readily (per second) the model lets a shopper leave the zone they are in, before evidence
    /// weighs in: high enough that a real move is followed within a few seconds, while the evidence of
    /// one moment (weighed at most a second's worth) cannot outvote a stay by itself.
    /// </summary>
    public double LeaveRatePerSecond { get; init; } = 2;

    /// <summary>
    /// Of the probability that leaves a zone, the share that goes to zones the layout does not make
    /// neighbours (the rest goes to the neighbours): people do not jump across a store, but a skipped
    /// zone or a missing neighbour declaration should not make a move impossible.
    /// </summary>
    public double FarShare { get; init; } = 0.01;

    /// <summary>
    /// The zone model steps at most once per this much event time, whatever the reporting rate, so a
    /// phone heard at 10 Hz and one heard at 1 Hz are weighed alike.
    /// </summary>
    public TimeSpan StepInterval { get; init; } = TimeSpan.FromSeconds(0.3);

    /// <summary>
    /// How far behind the newest reading another gateway's batch may still be on its way: the model steps
    /// only once every gateway hearing the shopper has reported up to a moment (one batch interval and a
    /// margin). Zero steps on every reading as it comes.
    /// </summary>
    public TimeSpan ReportingLag { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Another zone takes the shopper over once its probability exceeds the current zone's by this much,
    /// so two zones near a coin toss do not flap.
    /// </summary>
    public double SwitchMargin { get; init; } = 0.3;

    /// <summary>
    /// Extra hysteresis for stores that want it, off by default: the zone taking over must also have a
    /// gateway that leads the current zone's strongest by this many dB. The probability margin alone is
    /// what the cross-validated figures use.
    /// </summary>
    public double SwitchMarginDb { get; init; }

    /// <summary>
    /// A zone that is not a neighbour of the current one must stay the most probable for this long before
    /// it takes over: the zone graph's <see cref="FarShare"/> makes such jumps rare, but a burst leaked
    /// through shelving can be strong enough to outweigh it for a moment. One gateway batch interval.
    /// </summary>
    public TimeSpan NonAdjacentConfirm { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How fast (dB per second) the last level of a gateway that stopped hearing the shopper fades as
    /// evidence, after a second's grace: a phone advertises several times a second, so seconds of silence
    /// say the shopper moved away from that gateway.
    /// </summary>
    public double SilenceFadeDbPerSecond { get; init; } = 6;

    /// <summary>The probability a zone starts with when one of its gateways first hears the shopper.</summary>
    public double NewZoneShare { get; init; } = 0.1;

    /// <summary>
    /// After entering a zone the shopper stays at least this long before another zone may take over:
    /// crossing an aisle end takes a walking shopper about 2 s, so switching back sooner is noise.
    /// </summary>
    public TimeSpan MinDwell { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>With no gateway hearing the shopper for this long, the shopper has left.</summary>
    public TimeSpan ExitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When every fresh gateway is weaker than this, the shopper is out of range of the store's zones
    /// (about 20-30 m from a gateway at typical phone power): they exit at once rather than linger as a ghost.
    /// </summary>
    public double ExitRssiDbm { get; init; } = -90;

    /// <summary>
    /// Offers fire only while the shopper's zone is at least this probable (on everything heard so far, see
    /// <see cref="ZoneResolver.Confidence"/>): a coupon for the wrong aisle is worse than none. Chosen by
    /// the simulator's coupon precision against coupons issued, uncalibrated and calibrated, gateways alike
    /// and 4 dB apart (<c>--sweep</c>, benchmarks/RESULTS.md): 0.8 keeps 98 % of the coupons 0.6 issues.
    /// </summary>
    public double MinConfidence { get; init; } = 0.8;

    /// <summary>A <see cref="ProximityEventKind.Dwell"/> event is emitted each time dwell crosses a multiple of this.</summary>
    public TimeSpan DwellTick { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws if a value is out of range, naming the parameter and the allowed range.</summary>
    public void Validate()
    {
        Check(EnterRssiDbm is >= -127 and <= 20, nameof(EnterRssiDbm), "between -127 and 20 dBm");
        Check(ExitRssiDbm is >= -127 and <= 20, nameof(ExitRssiDbm), "between -127 and 20 dBm");
        Check(EnterSightings is >= 1 and <= 50, nameof(EnterSightings), "from 1 to 50");
        Check(WindowMinReadings is >= 1 and <= 50, nameof(WindowMinReadings), "from 1 to 50");
        Check(SmoothingAlpha is > 0 and <= 1, nameof(SmoothingAlpha), "in (0, 1]");
        Check(WindowPercentile is >= 0 and <= 1, nameof(WindowPercentile), "from 0 to 1");
        Check(KalmanProcessNoise > 0 && KalmanMeasurementNoise > 0, nameof(KalmanProcessNoise), "positive (and so must KalmanMeasurementNoise be)");
        Check(SmoothingSeconds is > 0 and <= 60, nameof(SmoothingSeconds), "above 0 and at most 60 seconds");
        Check(ZoneLeadDb is > 0 and <= 40, nameof(ZoneLeadDb), "above 0 and at most 40 dB");
        Check(SignalSigmaDb is >= 1 and <= 30, nameof(SignalSigmaDb), "from 1 to 30 dB");
        Check(PathLossExponent is >= 1 and <= 6, nameof(PathLossExponent), "from 1 to 6");
        Check(GeometryWeight is >= 0 and <= 1, nameof(GeometryWeight), "from 0 to 1");
        Check(GatewayHeightMetres is >= 0 and <= 30, nameof(GatewayHeightMetres), "from 0 to 30 metres");
        Check(CalibrationPriorWeight is >= 0 and <= 1, nameof(CalibrationPriorWeight), "from 0 to 1");
        Check(DeviceOffsetSigmaDb is >= 0.5 and <= 30, nameof(DeviceOffsetSigmaDb), "from 0.5 to 30 dB");
        Check(DeviceOffsetLearningSeconds is >= 0 and <= 3600, nameof(DeviceOffsetLearningSeconds), "from 0 (off) to 3600 seconds");
        Check(DeviceOffsetDriftDb is >= 0.5 and <= 30, nameof(DeviceOffsetDriftDb), "from 0.5 to 30 dB");
        Check(LeaveRatePerSecond is > 0 and <= 10, nameof(LeaveRatePerSecond), "above 0 and at most 10 per second");
        Check(MinConfidence is >= 0 and <= 1, nameof(MinConfidence), "from 0 to 1");
        Check(SilenceFadeDbPerSecond is >= 0 and <= 100, nameof(SilenceFadeDbPerSecond), "from 0 to 100 dB per second");
        Check(FarShare is >= 0 and <= 1, nameof(FarShare), "from 0 to 1");
        Check(SwitchMargin is >= 0 and < 1, nameof(SwitchMargin), "from 0 to below 1");
        Check(NewZoneShare is > 0 and < 1, nameof(NewZoneShare), "above 0 and below 1");
        Check(SpikeDb is > 0 and <= 100, nameof(SpikeDb), "above 0 and at most 100 dB");
        Check(Positive(EnterWindow) && Positive(Window) && Positive(GatewayStaleAfter) && Positive(ExitTimeout) && Positive(DwellTick),
            nameof(Window), "positive (so must EnterWindow, GatewayStaleAfter, ExitTimeout and DwellTick be)");
        Check(SwitchMarginDb is >= 0 and <= 40, nameof(SwitchMarginDb), "from 0 to 40 dB");
        Check(ReportingLag >= TimeSpan.Zero && ReportingLag <= TimeSpan.FromSeconds(10), nameof(ReportingLag), "from 0 to 10 seconds");
        Check(StepInterval >= TimeSpan.Zero && StepInterval <= TimeSpan.FromSeconds(10), nameof(StepInterval), "from 0 to 10 seconds");
        Check(MinDwell >= TimeSpan.Zero && NonAdjacentConfirm >= TimeSpan.Zero, nameof(MinDwell), "zero or positive (so must NonAdjacentConfirm be)");
    }

    private static bool Positive(TimeSpan t) => t > TimeSpan.Zero && t <= TimeSpan.FromHours(1);

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be {rule}.");
        }
    }
}

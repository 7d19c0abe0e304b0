using System.Globalization;

namespace BeaconEngine.Simulator;

public enum SimulationMode
{
    /// <summary>The walk with coupons, then the bare-transport floor in the same run.</summary>
    Run,

    /// <summary>No offers; the sighting rate rises step by step until the batch p99 passes the bound.</summary>
    Capacity,

    /// <summary>Enrols shoppers, places each in a zone, and reads the server's memory per live shopper.</summary>
    Memory,
}

/// <summary>Which direction places shoppers: gateways hearing phones, phones ranging the store's beacons, or both fused.</summary>
public enum Sensing
{
    Gateway,
    Phone,
    Both,
}

/// <summary>What the shoppers' phones advertise: one identity for ever, or a new one each period (issue 21).</summary>
public enum PhoneIdentity
{
    Static,
    Rotating,
}

/// <summary>Command-line settings of a simulation run.</summary>
public sealed record SimulationOptions
{
    public SimulationMode Mode { get; init; } = SimulationMode.Run;

    public Uri Url { get; init; } = new("http://localhost:5080");

    /// <summary>Node the gateways post their batches to; default <see cref="Url"/> (another node of a cluster: the cross-node path).</summary>
    public Uri? GatewayUrl { get; init; }

    /// <summary>Node the shopper apps connect their hub to; default <see cref="Url"/>.</summary>
    public Uri? HubUrl { get; init; }

    public Uri GatewayTarget => GatewayUrl ?? Url;

    public Uri HubTarget => HubUrl ?? Url;

    public string? AdminKey { get; init; }

    public int Shoppers { get; init; } = 200;

    public string? LayoutPath { get; init; }

    /// <summary>Aisles of the default layout when no layout file is given.</summary>
    public int Aisles { get; init; } = 6;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seconds of the bare-transport floor after the engine's walk; 0 skips it.</summary>
    public TimeSpan BaselineDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Walking before each measured phase (engine, floor) whose latencies are not counted: cold grains, JIT, first placements.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Advertisements per second of each phone.</summary>
    public double AdvertisingHz { get; init; } = 1;

    /// <summary>How often each gateway sends what it heard.</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Standard deviation of RSSI noise, dB.</summary>
    public double NoiseDb { get; init; } = 4;

    /// <summary>Share of advertisements a gateway misses.</summary>
    public double DropRate { get; init; } = 0.1;

    /// <summary>Shortest time a shopper stays in one zone before walking on, seconds.</summary>
    public double MinDwellSeconds { get; init; } = 10;

    /// <summary>Longest time a shopper stays in one zone, seconds.</summary>
    public double MaxDwellSeconds { get; init; } = 40;

    /// <summary>The store's least time between two coupons to one shopper, minutes (the simulator's store only).</summary>
    public double MinGapMinutes { get; init; } = 0.25;

    public int Seed { get; init; } = 7;

    /// <summary>Gateways hear the phones, phones range the store's beacons (one beside each gateway), or both.</summary>
    public Sensing Sensing { get; init; } = Sensing.Gateway;

    public bool GatewaysHear => Sensing != Sensing.Phone;

    public bool PhonesRange => Sensing != Sensing.Gateway;

    /// <summary>Ranging callbacks per second of each phone (iOS and Android give about 1).</summary>
    public double RangingHz { get; init; } = 1;

    /// <summary>After a region entry iOS ranges in a short burst: this rate, for <see cref="BurstSeconds"/>.</summary>
    public double BurstHz { get; init; } = 3;

    public double BurstSeconds { get; init; } = 5;

    /// <summary>Standard deviation of each gateway's fixed offset from the path-loss model, dB (0: every gateway alike).</summary>
    public double GatewayBiasDb { get; init; }

    /// <summary>Seconds the installer's calibration walk spends in each zone before the shoppers come; 0: no walk, the store stays uncalibrated.</summary>
    public double CalibrationSecondsPerZone { get; init; }

    /// <summary>The store's proximity settings (the layout's <c>proximity</c> object), e.g. <c>leaveRatePerSecond=2,minConfidence=0.7</c>.</summary>
    public IReadOnlyDictionary<string, double>? Proximity { get; init; }

    /// <summary>The store's shopper identity: static, or rotating (the phones derive each period's identity from their secret).</summary>
    public PhoneIdentity Identity { get; init; } = PhoneIdentity.Static;

    /// <summary>Rotating stores: the period's length, seconds; short, so that periods roll during a run (the server's default is 600).</summary>
    public int RotationSeconds { get; init; } = 10;

    public string OutputFolder { get; init; } = "simulation-results";

    /// <summary>Capacity mode: the p99 of a gateway batch's round trip that ends the climb, ms.</summary>
    public double BoundMs { get; init; } = 50;

    /// <summary>Capacity mode: first sighting rate and seconds per step.</summary>
    public double StartRate { get; init; } = 5_000;

    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Capacity mode: highest rate tried.</summary>
    public double MaxRate { get; init; } = 200_000;

    public const string Usage = """
        BeaconEngine store simulator. Sets up a store through the public API, walks shoppers through it,
        sends gateway batches over HTTP and receives coupons on real SignalR (MessagePack) clients that ack
        them. Prints a summary and writes a JSON report and a latency histogram (SVG).

          --url URL            server (default http://localhost:5080): set-up, and gateways and apps unless set below
          --gateway-url URL    node the gateways post to (a cluster's other node, for the cross-node path)
          --hub-url URL        node the shopper apps connect to
          --admin-key KEY      operator key (default: $BeaconEngine__AdminKey, else src/BeaconEngine.Server/data/admin.key)
          --shoppers N         shoppers (default 200; capacity 2000; memory mode: see --memory)
          --layout FILE        store layout JSON (see simulator/BeaconEngine.Simulator/layouts); default: --aisles in a row
          --aisles N           aisles of the default layout (default 6)
          --sensitivity DBM    weakest signal a gateway reports, instead of the layout's (default layout: -80,
                               about 2.5 gateways hear each phone; -82: about 3)
          --seconds N          length of the engine's walk (default 30)
          --baseline-seconds N length of the bare-transport floor run after it; 0 skips it (default 15;
                               needs the server started with --diagnostics --baseline)

        The server's benchmark routes (the floor, the engine's share of coupon latency, the memory figures)
        are off by default: start it with --diagnostics (BeaconEngine:Diagnostics=true), and --baseline
        for the floor. Without them the floor and the engine's latency are skipped and --memory stops.
          --warmup-seconds N   walking before each measured phase that is not counted (default 15): every shopper
                       is placed at once at the start, on cold grains
          --hz N               advertisements per second per phone (default 1)
          --batch-ms N         gateway batch interval (default 1000)
          --noise DB           RSSI noise standard deviation (default 4)
          --drop RATE          share of advertisements lost (default 0.1)
          --dwell MIN,MAX      seconds a shopper stays in a zone (default 10,40)
          --proximity K=V,...  the store's proximity settings, e.g. leaveRatePerSecond=2,minConfidence=0.7
          --min-gap MINUTES    the simulated store's least time between two coupons to a shopper (default 0.25)
          --seed N             random seed (default 7)
          --sensing MODE       gateway (gateways hear the phones; default), phone (phones range a store beacon
                               beside each gateway, 1 Hz plus a 3 Hz burst for 5 s after entering, and report
                               once a second over the hub), or both (fused)
          --gateway-bias DB    each gateway reads off the path-loss model by a fixed offset drawn with this
                               standard deviation (antenna, mounting, shelving; default 0)
          --calibrate          before the shoppers come, walk an installer's device through every zone through
                               the calibration API (marks, sightings, fit) and run calibrated
          --calibration-seconds N   seconds of the calibration walk in each zone (default 30; implies --calibrate)
          --identity MODE      static (default: each phone advertises its enrolment's identity) or rotating (the
                               store is rotating; each phone derives the current period's identity from its secret)
          --rotation-seconds N rotating: the store's period in seconds (default 10, so periods roll during a run;
                               the server allows 5 to 86400, default 600)
          --out FOLDER         where report.json and latency.svg go (default simulation-results)
          --sweep GRID         no server: score zone-model settings, e.g. "leaveRatePerSecond=1|2;signalSigmaDb=4|5"
                               ("none": the defaults), on both public Kolakowski walks and this world in process
          --sweep-shoppers N   shoppers of the in-process world (default 200)
          --sweep-seconds N    its length in simulated seconds (default 300)
          --capacity           no offers; raise the sighting rate until the p99 of a batch passes --bound-ms
          --bound-ms N         capacity bound (default 50)
          --start-rate N       capacity: first sightings per second (default 5000; x1.5 per step)
          --max-rate N         capacity: highest rate tried (default 200000)
          --step-seconds N     capacity: seconds per step (default 10)
          --memory N           enrol N shoppers, place each in a zone, report bytes per live shopper
        """;

    public static SimulationOptions Parse(string[] args)
    {
        var options = new SimulationOptions();
        int? shoppers = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--shoppers":
                    shoppers = Positive(Next(), "--shoppers");
                    break;
                case "--memory":
                    options = options with { Mode = SimulationMode.Memory };
                    shoppers = Positive(Next(), "--memory");
                    break;
                default:
                    options = args[i] switch
                    {
                        "--url" => options with { Url = new Uri(Next()) },
                        "--gateway-url" => options with { GatewayUrl = new Uri(Next()) },
                        "--hub-url" => options with { HubUrl = new Uri(Next()) },
                        "--admin-key" => options with { AdminKey = Next() },
                        "--layout" => options with { LayoutPath = Next() },
                        "--aisles" => options with { Aisles = Positive(Next(), "--aisles") },
                        "--sensitivity" => options with { Sensitivity = Dbm(Next(), "--sensitivity") },
                        "--seconds" => options with { Duration = TimeSpan.FromSeconds(Positive(Next(), "--seconds")) },
                        "--warmup-seconds" => options with { Warmup = TimeSpan.FromSeconds(NonNegative(Next(), "--warmup-seconds")) },
                        "--baseline-seconds" => options with { BaselineDuration = TimeSpan.FromSeconds(NonNegative(Next(), "--baseline-seconds")) },
                        "--hz" => options with { AdvertisingHz = PositiveNumber(Next(), "--hz") },
                        "--batch-ms" => options with { BatchInterval = TimeSpan.FromMilliseconds(Positive(Next(), "--batch-ms")) },
                        "--noise" => options with { NoiseDb = NonNegativeNumber(Next(), "--noise") },
                        "--drop" => options with { DropRate = Math.Clamp(NonNegativeNumber(Next(), "--drop"), 0, 1) },
                        "--dwell" => WithDwell(options, Next()),
                        "--min-gap" => options with { MinGapMinutes = NonNegativeNumber(Next(), "--min-gap") },
                        "--proximity" => options with { Proximity = Settings(Next()) },
                        "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--sensing" => options with
                        {
                            Sensing = Enum.TryParse<Sensing>(Next(), ignoreCase: true, out var sensing) && Enum.IsDefined(sensing)
                                ? sensing
                                : throw new ArgumentException("--sensing takes gateway, phone or both"),
                        },
                        "--gateway-bias" => options with { GatewayBiasDb = NonNegativeNumber(Next(), "--gateway-bias") },
                        "--calibrate" => options with { CalibrationSecondsPerZone = options.CalibrationSecondsPerZone > 0 ? options.CalibrationSecondsPerZone : 30 },
                        "--calibration-seconds" => options with { CalibrationSecondsPerZone = PositiveNumber(Next(), "--calibration-seconds") },
                        "--identity" => options with
                        {
                            Identity = Enum.TryParse<PhoneIdentity>(Next(), ignoreCase: true, out var identity) && Enum.IsDefined(identity)
                                ? identity
                                : throw new ArgumentException("--identity takes static or rotating"),
                        },
                        "--rotation-seconds" => options with { RotationSeconds = Positive(Next(), "--rotation-seconds") },
                        "--out" => options with { OutputFolder = Next() },
                        "--capacity" => options with { Mode = SimulationMode.Capacity },
                        "--bound-ms" => options with { BoundMs = PositiveNumber(Next(), "--bound-ms") },
                        "--start-rate" => options with { StartRate = PositiveNumber(Next(), "--start-rate") },
                        "--max-rate" => options with { MaxRate = PositiveNumber(Next(), "--max-rate") },
                        "--step-seconds" => options with { StepDuration = TimeSpan.FromSeconds(Positive(Next(), "--step-seconds")) },
                        _ => throw new ArgumentException($"unknown option '{args[i]}'"),
                    };
                    break;
            }
        }

        var defaultShoppers = options.Mode switch { SimulationMode.Capacity => 2_000, SimulationMode.Memory => 100_000, _ => 200 };
        return options with { Shoppers = shoppers ?? defaultShoppers, AdminKey = options.AdminKey ?? FindAdminKey() };
    }

    /// <summary>Weakest signal a gateway reports, dBm; null: the layout's.</summary>
    public double? Sensitivity { get; init; }

    public StoreLayout Layout()
    {
        var layout = LayoutPath is null ? StoreLayout.Row(Aisles) : StoreLayout.Load(LayoutPath);
        return Sensitivity is { } dbm ? layout with { Sensitivity = dbm } : layout;
    }

    private static double Dbm(string text, string name) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out var n) && n is >= -127 and <= 0 ? n : throw new ArgumentException($"{name} must be a number of dBm from -127 to 0");

    private static int Positive(string text, string name) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive whole number");

    private static int NonNegative(string text, string name) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{name} must be a whole number, 0 or more");

    private static double PositiveNumber(string text, string name) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive number");

    private static double NonNegativeNumber(string text, string name) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{name} must be a number, 0 or more");

    private static Dictionary<string, double> Settings(string text)
    {
        var settings = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new ArgumentException($"--proximity takes name=number pairs separated by commas, e.g. leaveRatePerSecond=2,minConfidence=0.7; \"{pair}\" is not one");
            }

            settings[parts[0]] = value;
        }

        return settings;
    }

    private static SimulationOptions WithDwell(SimulationOptions options, string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 2)
        {
            throw new ArgumentException("--dwell takes MIN,MAX in seconds, e.g. 10,40");
        }

        var min = PositiveNumber(parts[0], "--dwell MIN");
        var max = PositiveNumber(parts[1], "--dwell MAX");
        return max < min
            ? throw new ArgumentException("--dwell MAX must be at least MIN")
            : options with { MinDwellSeconds = min, MaxDwellSeconds = max };
    }

    private static string? FindAdminKey()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("BeaconEngine__AdminKey");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        foreach (var path in new[] { "src/BeaconEngine.Server/data/admin.key", "data/admin.key" })
        {
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Trim();
            }
        }

        return null;
    }
}

namespace BeaconEngine.Simulator;

/// <summary>
/// The simulated truth: shoppers who are in the store or out of it, walk from zone to neighbouring zone
/// and dwell, and phones that advertise at a steady rate. Each advertisement reaches each gateway with
/// an RSSI from the log-distance path-loss model plus Gaussian noise, unless it is lost or too faint.
/// Not thread-safe: one loop drives it.
/// </summary>
public sealed class World(StoreLayout layout, SimulationOptions options, Random random)
{
    private readonly Dictionary<string, LayoutZone> _zones = layout.Zones.ToDictionary(z => z.Id, StringComparer.Ordinal);

    // Drawn from a generator of their own, so that a bias leaves the shoppers' walks as they were.
    private readonly double[] _bias = GatewayOffsets(layout.Gateways.Count, options);

    public List<SimShopper> Shoppers { get; } = [];

    public StoreLayout Layout => layout;

    /// <summary>A shopper already somewhere in the store, part-way through a dwell, advertising from a random phase.</summary>
    public SimShopper Add(string shopperId, Guid uuid, int major, int minor, double now)
    {
        var shopper = new SimShopper(Shoppers.Count, shopperId, uuid, major, minor)
        {
            NextAdvert = now + (random.NextDouble() / options.AdvertisingHz),
            ZonesLeft = random.Next(3, 10),
        };
        MoveTo(shopper, layout.Zones[random.Next(layout.Zones.Count)], now);
        shopper.DwellLeft = random.NextDouble() * shopper.DwellLeft;
        Shoppers.Add(shopper);
        return shopper;
    }

    /// <summary>Moves the world on to <paramref name="now"/> (seconds) and hands each advertisement heard to <paramref name="heard"/>.</summary>
    public void Advance(double now, double step, Action<int, Advertisement> heard)
    {
        foreach (var shopper in Shoppers)
        {
            Walk(shopper, now, step);
            while (shopper.NextAdvert <= now)
            {
                var at = shopper.NextAdvert;
                shopper.NextAdvert += (0.9 + (0.2 * random.NextDouble())) / options.AdvertisingHz;
                if (shopper.Zone is null)
                {
                    continue;
                }

                for (var g = 0; g < layout.Gateways.Count; g++)
                {
                    if (Hear(g, shopper.X, shopper.Y) is { } rssi)
                    {
                        heard(g, new Advertisement(shopper, at, rssi));
                    }
                }
            }
        }
    }

    /// <summary>
    /// What gateway <paramref name="g"/> reports of one advertisement sent from (x, y): the path-loss level plus
    /// the gateway's own bias and noise, or null when it is lost or too faint.
    /// </summary>
    public int? Hear(int g, double x, double y)
    {
        var gateway = layout.Gateways[g];
        var dx = x - gateway.X;
        var dy = y - gateway.Y;
        var distance = Math.Sqrt((dx * dx) + (dy * dy) + (layout.GatewayHeight * layout.GatewayHeight));
        var rssi = layout.TxPower - (10 * layout.PathLossExponent * Math.Log10(distance)) + _bias[g] + (Gaussian() * options.NoiseDb);
        return rssi >= layout.Sensitivity && random.NextDouble() >= options.DropRate ? (int)Math.Round(rssi) : null;
    }

    /// <summary>Each gateway's fixed offset from the path-loss model, dB (antenna, mounting, shelving): <c>--gateway-bias</c>.</summary>
    public IReadOnlyList<double> GatewayBias => _bias;

    private void Walk(SimShopper shopper, double now, double step)
    {
        if (shopper.Zone is null)
        {
            shopper.OutsideLeft -= step;
            if (shopper.OutsideLeft <= 0)
            {
                shopper.ZonesLeft = random.Next(3, 10);
                MoveTo(shopper, layout.EntranceZone, now);
            }

            return;
        }

        shopper.DwellLeft -= step;
        if (shopper.DwellLeft > 0)
        {
            return;
        }

        if (--shopper.ZonesLeft <= 0)
        {
            // Leaves the store for a while, then comes back for another visit.
            shopper.Zone = null;
            shopper.OutsideLeft = 5 + (random.NextDouble() * 15);
            shopper.Truth.Add(new TruthEntry(now, null));
            return;
        }

        var neighbours = shopper.Zone.Neighbors;
        var next = neighbours.Count == 0 ? shopper.Zone : _zones[neighbours[random.Next(neighbours.Count)]];
        MoveTo(shopper, next, now);
    }

    private void MoveTo(SimShopper shopper, LayoutZone zone, double now)
    {
        shopper.Zone = zone;
        shopper.X = zone.X + (zone.Width * (0.25 + (0.5 * random.NextDouble())));
        shopper.Y = zone.Y + (zone.Height * (0.25 + (0.5 * random.NextDouble())));
        shopper.DwellLeft = options.MinDwellSeconds + (random.NextDouble() * (options.MaxDwellSeconds - options.MinDwellSeconds));
        if (shopper.Truth.Count == 0 || shopper.Truth[^1].ZoneId != zone.Id)
        {
            shopper.Truth.Add(new TruthEntry(now, zone.Id));
        }
    }

    private double Gaussian() => Gaussian(random);

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double[] GatewayOffsets(int gateways, SimulationOptions options)
    {
        var random = new Random(options.Seed + 1);
        return [.. Enumerable.Range(0, gateways).Select(_ => options.GatewayBiasDb * Gaussian(random))];
    }
}

/// <summary>One simulated shopper: identity, where they truly are, and when each zone began (seconds since the run's epoch).</summary>
public sealed class SimShopper(int index, string id, Guid uuid, int major, int minor)
{
    public int Index { get; } = index;

    public string Id { get; } = id;

    public Guid Uuid { get; } = uuid;

    public int Major { get; } = major;

    public int Minor { get; } = minor;

    public LayoutZone? Zone { get; set; }

    public double X { get; set; }

    public double Y { get; set; }

    public double DwellLeft { get; set; }

    public double OutsideLeft { get; set; }

    public int ZonesLeft { get; set; }

    public double NextAdvert { get; set; }

    public List<TruthEntry> Truth { get; } = [];

    /// <summary>The true zone at <paramref name="at"/> (seconds), null when outside.</summary>
    public string? ZoneAt(double at) => TruthAt(at).ZoneId;

    /// <summary>The truth entry in force at <paramref name="at"/> (seconds): the zone and when the shopper came into it.</summary>
    public TruthEntry TruthAt(double at)
    {
        var current = new TruthEntry(double.NegativeInfinity, null);
        foreach (var entry in Truth)
        {
            if (entry.At > at)
            {
                break;
            }

            current = entry;
        }

        return current;
    }
}

public readonly record struct TruthEntry(double At, string? ZoneId);

public readonly record struct Advertisement(SimShopper Shopper, double At, int Rssi);

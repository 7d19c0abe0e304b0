using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// One store-hour of zone analytics (see <see cref="IZoneHourGrain"/>). It grows with the hour's shoppers
/// only: a stay belongs to the hour it began in, dwell is kept as a bounded histogram, and a shopper's
/// detail is a handful of fields per zone they entered.
/// </summary>
[GenerateSerializer]
public sealed class ZoneHourState
{
    [Id(0)] public Dictionary<string, ZoneHourZone> Zones { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Moves keyed "from|to" (zone ids contain no '|'), then by shopper: how many times.</summary>
    [Id(1)] public Dictionary<string, Dictionary<string, int>> Transitions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds stays; the same stay (shopper, zone, entry time) counts once, and its dwell once, when it is
    /// first seen closed. True when anything changed.
    /// </summary>
    public bool AddStays(string shopperKey, IEnumerable<ZoneStay> stays)
    {
        var changed = false;
        foreach (var stay in stays)
        {
            var zone = Zone(stay.ZoneId);
            var shopper = zone.Shopper(shopperKey);
            var entered = stay.EnteredAt.UtcTicks;
            if (!shopper.TryGetStay(entered, out var closed))
            {
                shopper.SetStay(entered, closed: false);
                changed = true;
                if (stay.FromZoneId is { } from && from != stay.ZoneId)
                {
                    var key = $"{from}|{stay.ZoneId}";
                    var moves = Transitions.TryGetValue(key, out var m) ? m : Transitions[key] = new(StringComparer.Ordinal);
                    moves[shopperKey] = moves.GetValueOrDefault(shopperKey) + 1;
                }
            }

            if (!closed && stay.ExitedAt is { } exited)
            {
                var seconds = Math.Max(0, (exited - stay.EnteredAt).TotalSeconds);
                shopper.SetStay(entered, closed: true);
                shopper.LongestStaySeconds = Math.Max(shopper.LongestStaySeconds, seconds);
                DwellSketch.Add(zone.Dwell, seconds);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Marks a stage of the funnel for the shopper in the zone, per brand. True when it is new.</summary>
    public bool AddStage(string shopperKey, string zoneId, string brandId, ZoneStage stage)
    {
        var shopper = Zone(zoneId).Shopper(shopperKey);
        if (shopper.Brands(stage) is { } brands && brands.Contains(brandId, StringComparer.Ordinal))
        {
            return false;
        }

        (stage switch
        {
            ZoneStage.Offered => shopper.Offered,
            ZoneStage.Opened => shopper.Opened,
            _ => shopper.Redeemed,
        }).Add(brandId);
        return true;
    }

    public ZoneHourReport ToReport() => new(
        [.. Zones.Select(z => new ZoneHourData(
            z.Key,
            [.. z.Value.Shoppers.Select(s => new ZoneShopperHour(
                s.Key, s.Value.HasStays, s.Value.LongestStaySeconds, [.. s.Value.Brands(ZoneStage.Offered) ?? []], [.. s.Value.Brands(ZoneStage.Opened) ?? []], [.. s.Value.Brands(ZoneStage.Redeemed) ?? []]))],
            new Dictionary<int, long>(z.Value.Dwell)))],
        [.. Transitions.Select(t =>
        {
            var bar = t.Key.IndexOf('|', StringComparison.Ordinal);
            return new ZoneTransitionHour(t.Key[..bar], t.Key[(bar + 1)..], new Dictionary<string, int>(t.Value, StringComparer.Ordinal));
        })]);

    private ZoneHourZone Zone(string zoneId) => Zones.TryGetValue(zoneId, out var zone) ? zone : Zones[zoneId] = new ZoneHourZone();
}

[GenerateSerializer]
public sealed class ZoneHourZone
{
    /// <summary>Shoppers by pseudonym.</summary>
    [Id(0)] public Dictionary<string, ZoneHourShopper> Shoppers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The closed stays' dwell: <see cref="DwellSketch"/> bucket → stays.</summary>
    [Id(1)] public Dictionary<int, long> Dwell { get; set; } = [];

    public ZoneHourShopper Shopper(string shopperKey) =>
        Shoppers.TryGetValue(shopperKey, out var shopper) ? shopper : Shoppers[shopperKey] = new ZoneHourShopper();
}

[GenerateSerializer]
public sealed class ZoneHourShopper
{
    // Most shoppers make one stay in a zone an hour: it is kept inline (its entry time in UTC ticks, and whether it has
    // closed), and a dictionary is made only for a second one (then it holds them all). A dictionary of one stay is
    // about 200 bytes a shopper and zone.
    [NonSerialized] private long _stayEntered;
    [NonSerialized] private StayHeld _stay;
    [NonSerialized] private Dictionary<long, bool>? _stays;

    private enum StayHeld : byte
    {
        None,
        Open,
        Closed,
        Many,
    }

    /// <summary>
    /// The stays that began this hour (entry time in UTC ticks) and whether each has closed, as stored: the stored
    /// shape is a dictionary whatever the count, so rows written before one stay was kept inline read back, and rows
    /// written now read back in older builds. The getter makes a copy for the serializer; read a stay with
    /// <see cref="TryGetStay"/>. The setter takes the stays over (one is kept inline).
    /// </summary>
    [Id(0)]
    public Dictionary<long, bool> Stays
    {
        get => _stay switch
        {
            StayHeld.None => [],
            StayHeld.Many => new Dictionary<long, bool>(_stays!),
            _ => new Dictionary<long, bool>(1) { [_stayEntered] = _stay == StayHeld.Closed },
        };
        set
        {
            (_stayEntered, _stay, _stays) = (0, StayHeld.None, null);
            foreach (var (entered, closed) in value ?? [])
            {
                SetStay(entered, closed);
            }
        }
    }

    /// <summary>Whether the shopper began any stay in the zone this hour.</summary>
    public bool HasStays => _stay != StayHeld.None;

    /// <summary>Whether a stay entered at <paramref name="entered"/> (UTC ticks) is known, and whether it has closed.</summary>
    public bool TryGetStay(long entered, out bool closed)
    {
        switch (_stay)
        {
            case StayHeld.Many:
                return _stays!.TryGetValue(entered, out closed);
            case StayHeld.Open or StayHeld.Closed when _stayEntered == entered:
                closed = _stay == StayHeld.Closed;
                return true;
            default:
                closed = false;
                return false;
        }
    }

    /// <summary>Adds the stay entered at <paramref name="entered"/> (UTC ticks), or sets whether it has closed.</summary>
    public void SetStay(long entered, bool closed)
    {
        switch (_stay)
        {
            case StayHeld.None:
                (_stayEntered, _stay) = (entered, closed ? StayHeld.Closed : StayHeld.Open);
                break;
            case StayHeld.Many:
                _stays![entered] = closed;
                break;
            default:
                if (_stayEntered == entered)
                {
                    _stay = closed ? StayHeld.Closed : StayHeld.Open;
                    break;
                }

                _stays = new Dictionary<long, bool>(2) { [_stayEntered] = _stay == StayHeld.Closed, [entered] = closed };
                (_stayEntered, _stay) = (0, StayHeld.Many);
                break;
        }
    }

    [Id(1)] public double LongestStaySeconds { get; set; }

    // The brand lists stay null until first written: most shoppers of an hour are offered nothing, and three empty
    // lists are 96 bytes a shopper and zone.
    [Id(2)] private List<string>? _offered;
    [Id(3)] private List<string>? _opened;
    [Id(4)] private List<string>? _redeemed;

    /// <summary>Brands whose coupon from the zone the shopper was offered, opened, redeemed (made on first use).</summary>
    public List<string> Offered { get => _offered ??= []; set => _offered = value; }

    public List<string> Opened { get => _opened ??= []; set => _opened = value; }

    public List<string> Redeemed { get => _redeemed ??= []; set => _redeemed = value; }

    /// <summary>The brands of a stage, or null while there are none (made by nothing).</summary>
    public List<string>? Brands(ZoneStage stage) => stage switch
    {
        ZoneStage.Offered => _offered,
        ZoneStage.Opened => _opened,
        _ => _redeemed,
    };
}

using System.Collections.Frozen;
using BeaconEngine.Rules.Learning;
using BeaconEngine.Rules.Policy;

namespace BeaconEngine.Rules.Offers;

/// <summary>
/// A store's offers compiled once when the catalog changes: indexed by zone and trigger, so an event
/// only looks at the offers of its own zone and moment, each flattened into a <see cref="CompiledOffer"/>.
/// Immutable; compile a new one to change it.
/// </summary>
public sealed class OfferCatalog
{
    private static readonly CompiledOffer[] None = [];
    private readonly FrozenDictionary<string, ZoneOffers> _byZone;

    // The local clock of the latest minute asked about: time-zone rules are consulted once a minute, not per event.
    private LocalMinute? _clock;

    public OfferCatalog(IEnumerable<Offer> offers, TimeZoneInfo? timeZone = null, ContactPolicy? policy = null, long version = 0)
    {
        Policy = policy ?? ContactPolicy.Default;
        TimeZone = timeZone ?? TimeZoneInfo.Utc;
        Version = version;
        var compiled = offers.Select(o => new CompiledOffer(o, Policy.ReferenceBasket)).ToArray();
        Count = compiled.Length;
        _byZone = compiled
            .SelectMany(o => o.Offer.ZoneIds.Distinct(StringComparer.Ordinal).Select(z => (Zone: z, Offer: o)))
            .GroupBy(p => p.Zone, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => new ZoneOffers(g.Key, [.. g.Select(p => p.Offer)]),
                StringComparer.Ordinal);
    }

    public static OfferCatalog Empty { get; } = new([]);

    public int Count { get; }

    /// <summary>Changes whenever the store's offers change.</summary>
    public long Version { get; }

    public TimeZoneInfo TimeZone { get; }

    public ContactPolicy Policy { get; }

    /// <summary>The store's local day, minute of day and the instant its day began, for an instant.</summary>
    public LocalMinute LocalClock(DateTimeOffset at)
    {
        var minute = at.UtcTicks / TimeSpan.TicksPerMinute;
        var clock = _clock;
        if (clock is null || clock.UtcMinute != minute)
        {
            var local = TimeZoneInfo.ConvertTime(at, TimeZone);
            clock = new LocalMinute(minute, local.DayOfWeek, (local.Hour * 60) + local.Minute, Selection.OfferEngine.StartOfLocalDay(at, TimeZone));
            _clock = clock;
        }

        return clock;
    }

    /// <summary>The offers of a zone that answer a trigger, in catalog order.</summary>
    public ReadOnlySpan<CompiledOffer> Candidates(string zoneId, OfferTrigger trigger) =>
        _byZone.TryGetValue(zoneId, out var zone) ? zone.ByTrigger[(int)trigger] : None;

    /// <summary>
    /// The ranking of a zone's offers for a trigger in the draw round of <paramref name="at"/>, for a
    /// shopper segment; null when the zone has no such offers. Built on first use in a round, then shared.
    /// </summary>
    public ZoneRanking? Ranking(string zoneId, OfferTrigger trigger, DateTimeOffset at, string? segment, RedemptionModel model)
    {
        if (!_byZone.TryGetValue(zoneId, out var zone) || zone.ByTrigger[(int)trigger] is not { Length: > 0 } offers)
        {
            return null;
        }

        var round = at.UtcTicks / Math.Max(1, Policy.DrawRound.Ticks);
        return zone.Rankings[(int)trigger].Get(round, segment ?? string.Empty, model, offers, zone.Seeds[(int)trigger] ^ Policy.Seed);
    }

    /// <summary>A zone's offers by trigger, and their rankings.</summary>
    private sealed class ZoneOffers
    {
        public ZoneOffers(string zoneId, CompiledOffer[] offers)
        {
            var triggers = Enum.GetValues<OfferTrigger>();
            ByTrigger = new CompiledOffer[triggers.Length][];
            Rankings = new RankingSlot[triggers.Length];
            Seeds = new ulong[triggers.Length];
            foreach (var trigger in triggers)
            {
                ByTrigger[(int)trigger] = [.. offers.Where(o => o.Offer.EffectiveTrigger == trigger)];
                Rankings[(int)trigger] = new RankingSlot();
                Seeds[(int)trigger] = SplitMix64.Hash(zoneId) ^ ((ulong)trigger << 56);
            }
        }

        public CompiledOffer[][] ByTrigger { get; }

        public RankingSlot[] Rankings { get; }

        public ulong[] Seeds { get; }
    }
}

/// <summary>One minute of a store's local clock.</summary>
public sealed record LocalMinute(long UtcMinute, DayOfWeek Day, int MinuteOfDay, DateTimeOffset DayStart);

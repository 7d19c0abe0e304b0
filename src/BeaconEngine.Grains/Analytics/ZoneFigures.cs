using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// A zone's figures over one hour or several. Shoppers count once however many hours or stays they have:
/// footfall counts those who entered; dwelt, those whose longest stay lasted at least the threshold; offered,
/// opened and redeemed, those with a coupon from the zone at that stage (of any brand, or of one brand); a
/// redeemed coupon counts as opened too, so each coupon stage holds the next.
/// </summary>
public sealed record ZoneFigures(
    string ZoneId, long Footfall, long Stays, double? DwellMedianSeconds, double? DwellP90Seconds, long Dwelt, long Offered, long Opened, long Redeemed)
{
    /// <summary>Merges the zone's hours; <paramref name="brandId"/> (if given) limits the coupon stages to that brand's coupons.</summary>
    public static ZoneFigures Of(string zoneId, IEnumerable<ZoneHourData> hours, int dwellSeconds, string? brandId)
    {
        var shoppers = new Dictionary<string, (bool Entered, double Longest, bool Offered, bool Opened, bool Redeemed)>(StringComparer.Ordinal);
        var dwell = new Dictionary<int, long>();
        foreach (var hour in hours)
        {
            foreach (var (bucket, count) in hour.Dwell)
            {
                dwell[bucket] = dwell.GetValueOrDefault(bucket) + count;
            }

            foreach (var s in hour.Shoppers)
            {
                var was = shoppers.GetValueOrDefault(s.ShopperKey);
                shoppers[s.ShopperKey] = (
                    was.Entered || s.Entered,
                    Math.Max(was.Longest, s.LongestStaySeconds),
                    was.Offered || Has(s.Offered, brandId),
                    // A coupon redeemed at the till was seen, opened in the app or not.
                    was.Opened || Has(s.Opened, brandId) || Has(s.Redeemed, brandId),
                    was.Redeemed || Has(s.Redeemed, brandId));
            }
        }

        return new ZoneFigures(
            zoneId,
            shoppers.Values.Count(s => s.Entered),
            dwell.Values.Sum(),
            DwellSketch.Quantile(dwell, 0.5),
            DwellSketch.Quantile(dwell, 0.9),
            shoppers.Values.Count(s => s.Entered && s.Longest >= dwellSeconds),
            shoppers.Values.Count(s => s.Offered),
            shoppers.Values.Count(s => s.Opened),
            shoppers.Values.Count(s => s.Redeemed));
    }

    private static bool Has(string[] brands, string? brandId) =>
        brandId is null ? brands.Length > 0 : brands.Contains(brandId, StringComparer.Ordinal);
}

/// <summary>Moves from one zone to another: by how many shoppers, and how many times in all.</summary>
public sealed record ZoneTransitionFigures(string FromZoneId, string ToZoneId, long Shoppers, long Moves)
{
    /// <summary>Merges the hours' moves by (from, to), shoppers counted once; most shoppers first.</summary>
    public static ZoneTransitionFigures[] Of(IEnumerable<ZoneTransitionHour> hours)
    {
        var merged = new Dictionary<(string, string), Dictionary<string, int>>();
        foreach (var t in hours)
        {
            var key = (t.FromZoneId, t.ToZoneId);
            var moves = merged.TryGetValue(key, out var m) ? m : merged[key] = new(StringComparer.Ordinal);
            foreach (var (shopper, count) in t.MovesByShopper)
            {
                moves[shopper] = moves.GetValueOrDefault(shopper) + count;
            }
        }

        return [.. merged
            .Select(m => new ZoneTransitionFigures(m.Key.Item1, m.Key.Item2, m.Value.Count, m.Value.Values.Sum()))
            .OrderByDescending(t => t.Shoppers).ThenByDescending(t => t.Moves)
            .ThenBy(t => t.FromZoneId, StringComparer.Ordinal).ThenBy(t => t.ToZoneId, StringComparer.Ordinal)];
    }
}

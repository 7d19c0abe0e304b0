using System.Globalization;
using System.Security.Claims;
using System.Text;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Rules.Analytics;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>
/// How many people pass and stop in each zone, per hour: footfall, dwell, the funnel from passing to
/// redeeming, and where shoppers go next. The operator sees every zone; a brand sees the zones of its
/// offers, its own coupons' stages, and no figure that covers fewer than <see cref="MinimumShoppers"/> shoppers.
/// </summary>
public static class ZoneAnalyticsEndpoints
{
    /// <summary>A brand never sees a figure covering fewer shoppers than this.</summary>
    public const int MinimumShoppers = 5;

    public const int DefaultDwellSeconds = 30;

    public static readonly TimeSpan LongestRange = TimeSpan.FromDays(7);

    private const int TransitionsShown = 10;

    public static IEndpointRouteBuilder MapZoneAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId}/analytics/zones", Zones)
            .RequireAuthorization(p => p.RequireRole(Roles.Brand, Roles.Operator)).WithTags("Brand")
            .WithSummary("Footfall, dwell, funnel and transitions per zone and hour")
            .WithDescription("Per zone and hour between `from` and `to` (ISO 8601, at most 7 days; default the last 24 hours): "
                + "distinct shoppers entering, median and 90th percentile dwell, the funnel passed → dwelt at least `dwellSeconds` "
                + "(default 30) → offered → opened → redeemed, and the top zone-to-zone moves. A brand gets the zones of its offers "
                + "and its own coupons; a figure covering fewer than 5 shoppers is null and named in `suppressed`. "
                + "`Accept: text/csv` or `format=csv` answers CSV.")
            .Produces<ZoneAnalyticsResponse>();
        return app;
    }

    private static async Task<IResult> Zones(
        string storeId, string? from, string? to, string? dwellSeconds, string? format, HttpContext http, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time)
    {
        var id = Validate.RouteId(storeId, "store");
        var query = Query.Parse(from, to, dwellSeconds, format, http.Request.Headers.Accept.ToString(), time.GetUtcNow());
        var snapshot = await grains.GetGrain<IStoreGrain>(id).GetSnapshot() ?? throw Problems.NotFound($"There is no store '{id}'.");

        // The operator sees everything; a brand the zones of its offers in the store, and only its own coupons.
        var brandId = user.IsInRole(Roles.Operator) ? null : user.SubjectId();
        HashSet<string>? brandZones = brandId is null ? null
            : [.. snapshot.Offers.Where(o => o.BrandId == brandId).SelectMany(o => o.ZoneIds)];

        // Counted, not stepped past the end: an hour after the last may not exist (9999-12-31T23:00).
        var first = ZoneHourKey.HourOf(query.From);
        var count = (int)Math.Ceiling((query.To - first) / TimeSpan.FromHours(1));
        var hours = Enumerable.Range(0, count).Select(i => first.AddHours(i)).ToList();

        var reports = await Task.WhenAll(hours.Select(async h => (Hour: h, Report: await grains.GetGrain<IZoneHourGrain>(ZoneHourKey.Of(id, h)).GetReport())));
        var response = Build(id, query, snapshot.Layout.Zones.Select(z => (z.Id, z.Name)), reports, brandId, brandZones);
        return query.Csv
            ? TypedResults.Text(ToCsv(response), "text/csv; charset=utf-8", Encoding.UTF8)
            : TypedResults.Ok(response);
    }

    /// <summary>The figures from the store-hours' reports, suppressed for a brand where they cover fewer than <see cref="MinimumShoppers"/> shoppers.</summary>
    public static ZoneAnalyticsResponse Build(
        string storeId,
        Query query,
        IEnumerable<(string Id, string Name)> layoutZones,
        IReadOnlyList<(DateTimeOffset Hour, ZoneHourReport Report)> reports,
        string? brandId,
        IReadOnlySet<string>? brandZones)
    {
        var names = layoutZones.ToDictionary(z => z.Id, z => z.Name, StringComparer.Ordinal);
        bool Shown(string zoneId) => brandZones is null || brandZones.Contains(zoneId);
        var brand = brandId is not null;

        var zoneIds = names.Keys.Concat(reports.SelectMany(r => r.Report.Zones.Select(z => z.ZoneId)))
            .Distinct(StringComparer.Ordinal).Where(Shown).ToList();
        var zones = zoneIds.Select(z => Row(
                ZoneFigures.Of(z, reports.SelectMany(r => r.Report.Zones.Where(d => d.ZoneId == z)), query.DwellSeconds, brandId), null))
            .ToArray();
        var hourRows = reports
            .SelectMany(r => r.Report.Zones.Where(d => Shown(d.ZoneId)).Select(d => Row(ZoneFigures.Of(d.ZoneId, [d], query.DwellSeconds, brandId), r.Hour)))
            .OrderBy(r => r.Hour).ThenBy(r => r.ZoneId, StringComparer.Ordinal)
            .ToArray();
        var transitions = ZoneTransitionFigures.Of(reports.SelectMany(r => r.Report.Transitions))
            .Where(t => !brand || ((Shown(t.FromZoneId) || Shown(t.ToZoneId)) && t.Shoppers >= MinimumShoppers))
            .Take(TransitionsShown)
            .Select(t => new ZoneTransitionRow(t.FromZoneId, t.ToZoneId, t.Shoppers, t.Moves))
            .ToArray();

        return new ZoneAnalyticsResponse(
            storeId, query.From, query.To, query.DwellSeconds, brand ? "brand" : "operator", brand ? MinimumShoppers : null,
            DwellSketch.RelativeAccuracy, zones, hourRows, transitions);

        ZoneAnalyticsRow Row(ZoneFigures f, DateTimeOffset? hour)
        {
            var suppressed = new List<string>();
            long? Count(long value, string name)
            {
                if (brand && value < MinimumShoppers)
                {
                    suppressed.Add(name);
                    return null;
                }

                return value;
            }

            double? Dwell(double? seconds, string name)
            {
                // The stays' quantiles cover the shoppers who entered: shown with footfall only.
                if (brand && f.Footfall < MinimumShoppers)
                {
                    suppressed.Add(name);
                    return null;
                }

                return seconds is { } s ? Math.Round(s, 1) : null;
            }

            var footfall = Count(f.Footfall, "footfall");
            var stays = brand && f.Footfall < MinimumShoppers ? null : (long?)f.Stays;
            if (stays is null)
            {
                suppressed.Add("stays");
            }

            return new ZoneAnalyticsRow(
                f.ZoneId,
                names.GetValueOrDefault(f.ZoneId),
                hour,
                footfall,
                stays,
                Dwell(f.DwellMedianSeconds, "dwellMedianSeconds"),
                Dwell(f.DwellP90Seconds, "dwellP90Seconds"),
                new ZoneFunnel(
                    Count(f.Footfall, "funnel.passed"),
                    Count(f.Dwelt, "funnel.dwelt"),
                    Count(f.Offered, "funnel.offered"),
                    Count(f.Opened, "funnel.opened"),
                    Count(f.Redeemed, "funnel.redeemed")),
                [.. suppressed]);
        }
    }

    /// <summary>One row per zone over the whole range ("all"), then one per zone and hour; a suppressed figure is an empty cell, named in the last column.</summary>
    public static string ToCsv(ZoneAnalyticsResponse r)
    {
        var csv = new StringBuilder();
        csv.Append(CultureInfo.InvariantCulture, $"period,zoneId,zoneName,footfall,stays,dwellMedianSeconds,dwellP90Seconds,passed,dwelt{r.DwellSeconds}s,offered,opened,redeemed,suppressed\r\n");
        foreach (var row in r.Zones.Concat(r.Hours))
        {
            string[] cells =
            [
                row.Hour?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "all",
                row.ZoneId,
                row.Name ?? "",
                Cell(row.Footfall),
                Cell(row.Stays),
                Cell(row.DwellMedianSeconds),
                Cell(row.DwellP90Seconds),
                Cell(row.Funnel.Passed),
                Cell(row.Funnel.Dwelt),
                Cell(row.Funnel.Offered),
                Cell(row.Funnel.Opened),
                Cell(row.Funnel.Redeemed),
                string.Join(' ', row.Suppressed),
            ];
            csv.AppendJoin(',', cells.Select(Escape)).Append("\r\n");
        }

        return csv.ToString();

        static string Cell<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>RFC 4180 quoting; a name that a spreadsheet would run as a formula is made plain text.</summary>
    private static string Escape(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            cell = "'" + cell;
        }

        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }

    /// <summary>The query, checked: each bad value is a 400 that names its field.</summary>
    public sealed record Query(DateTimeOffset From, DateTimeOffset To, int DwellSeconds, bool Csv)
    {
        public static Query Parse(string? from, string? to, string? dwellSeconds, string? format, string accept, DateTimeOffset now)
        {
            var end = Time(to, "to") ?? now;
            var start = Time(from, "from") ?? end - TimeSpan.FromHours(24);
            if (end <= start)
            {
                throw Problems.BadRequest($"'to' ({end:yyyy-MM-ddTHH:mm:ssZ}) must be later than 'from' ({start:yyyy-MM-ddTHH:mm:ssZ}).");
            }

            if (end - start > LongestRange)
            {
                throw Problems.BadRequest("'to' may be at most 7 days after 'from': ask for a week at a time.");
            }

            var dwell = DefaultDwellSeconds;
            if (dwellSeconds is not null && (!int.TryParse(dwellSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out dwell) || dwell is < 1 or > 3600))
            {
                throw Problems.BadRequest($"'dwellSeconds' must be a whole number of seconds from 1 to 3600 (got '{Validate.Truncate(dwellSeconds)}').");
            }

            var csv = format switch
            {
                null => accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase),
                _ when format.Equals("csv", StringComparison.OrdinalIgnoreCase) => true,
                _ when format.Equals("json", StringComparison.OrdinalIgnoreCase) => false,
                _ => throw Problems.BadRequest($"'format' must be 'json' or 'csv' (got '{Validate.Truncate(format)}')."),
            };
            return new Query(start, end, dwell, csv);
        }

        private static DateTimeOffset? Time(string? value, string field)
        {
            if (value is null)
            {
                return null;
            }

            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at.ToUniversalTime()
                : throw Problems.BadRequest($"'{field}' must be a date and time in ISO 8601, such as 2026-12-03T09:00:00Z (got '{Validate.Truncate(value)}').");
        }
    }
}

/// <summary>The stages of a zone's funnel: distinct shoppers at each.</summary>
public sealed record ZoneFunnel(long? Passed, long? Dwelt, long? Offered, long? Opened, long? Redeemed);

/// <summary>A zone's figures over the whole range (<paramref name="Hour"/> null) or in one hour. Null figures named in <paramref name="Suppressed"/> cover fewer than 5 shoppers.</summary>
public sealed record ZoneAnalyticsRow(
    string ZoneId,
    string? Name,
    DateTimeOffset? Hour,
    long? Footfall,
    long? Stays,
    double? DwellMedianSeconds,
    double? DwellP90Seconds,
    ZoneFunnel Funnel,
    string[] Suppressed);

/// <summary>Moves from one zone to the next: distinct shoppers and moves in all.</summary>
public sealed record ZoneTransitionRow(string FromZoneId, string ToZoneId, long Shoppers, long Moves);

public sealed record ZoneAnalyticsResponse(
    string StoreId,
    DateTimeOffset From,
    DateTimeOffset To,
    int DwellSeconds,
    string Audience,
    int? MinimumShoppers,
    double DwellRelativeAccuracy,
    ZoneAnalyticsRow[] Zones,
    ZoneAnalyticsRow[] Hours,
    ZoneTransitionRow[] Transitions);

using System.Text.Json;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Api;
using BeaconEngine.Server.Hubs;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// The shopper's app reports the store beacons its phone ranged (<c>POST /api/v1/me/sightings</c> and the hub's
/// <c>ReportSightings</c>). Each item is judged on its own, as a gateway's are; a beacon of the shopper's store
/// becomes a reading of that beacon's pseudo-track in the shopper's own zone model, so phone and gateway
/// evidence fuse in one resolver. A report only ever moves the shopper whose token sent it.
/// </summary>
public sealed class PhoneReportIngestor(IStoreDirectory stores, IGrainFactory grains, PhoneReportLimiter limiter, TimeProvider time)
{
    /// <summary>The pseudo-track of a store beacon; '/' never appears in a gateway id, so the two never meet.</summary>
    public const string TrackPrefix = "beacon/";

    /// <summary>
    /// The measured power at 1 m iBeacons are commonly set to; a phone's reading of a beacon is brought to it, so
    /// a beacon set louder or softer reads as a phone heard by a gateway would.
    /// </summary>
    public const double ReferenceTxPower = -59;

    /// <summary>Ranging is live: a reading older than this cannot place the shopper where they are now.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(2);

    /// <summary>Phones keep network time; this allows for a little drift, not for a report from the future.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromSeconds(30);

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public async Task<SightingsResponse> IngestAsync(string shopperId, string storeId, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Problems.BadRequest("The body must be a JSON object: { \"sightings\": [ { \"ts\", \"rssi\", \"ibeacon\": { \"uuid\", \"major\", \"minor\" } } ], \"region\"? }.");
        }

        if (body.TryGetProperty("shopperId", out var named) && named.ValueKind != JsonValueKind.Null
            && (named.ValueKind != JsonValueKind.String || !named.ValueEquals(shopperId)))
        {
            throw Problems.Forbidden("A token reports for its own shopper only; leave 'shopperId' out or give the token's own.");
        }

        if (body.TryGetProperty("gatewayId", out var gateway) && gateway.ValueKind != JsonValueKind.Null)
        {
            throw Problems.BadRequest("'gatewayId' belongs to a gateway's batch (POST /api/v1/sightings with the gateway's key); a phone reports under its shopper token without it.");
        }

        var hasItems = body.TryGetProperty("sightings", out var items) && items.ValueKind != JsonValueKind.Null;
        var hasRegion = body.TryGetProperty("region", out var regionElement) && regionElement.ValueKind != JsonValueKind.Null;
        if (hasItems && items.ValueKind != JsonValueKind.Array)
        {
            throw Problems.BadRequest("'sightings' must be an array.");
        }

        if (!hasItems && !hasRegion)
        {
            throw Problems.BadRequest("Give 'sightings' (the beacons the phone ranged) or 'region' (an enter or exit), or both.");
        }

        var count = hasItems ? items.GetArrayLength() : 0;
        if (count > SightingIngestor.MaxBatchItems)
        {
            throw Problems.TooLarge($"The report has {count} sightings; at most {SightingIngestor.MaxBatchItems} are allowed. Report once a second, as ranging gives them.");
        }

        var now = time.GetUtcNow();
        var region = hasRegion ? ReadRegion(regionElement, now) : null;
        if (!limiter.TryAcquire(shopperId, out var retryAfter))
        {
            throw new ApiProblemException(StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This shopper's phone reports too often; send at most one report a second (batch the readings). Retry after {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s.");
        }

        var view = await stores.GetAsync(storeId) ?? throw Problems.NotFound($"Store '{storeId}' of this shopper no longer exists.");
        var rejected = new List<RejectedSighting>();
        var readings = new List<Sighting>(count);
        var unknown = 0;
        var index = 0;
        if (hasItems)
        {
            foreach (var item in items.EnumerateArray())
            {
                var i = index++;
                switch (ReadItem(item, now, view, out var sighting))
                {
                    case { } error:
                        rejected.Add(new RejectedSighting(i, error));
                        break;
                    case null when sighting is { } s:
                        readings.Add(s);
                        break;
                    default:
                        unknown++;
                        break;
                }
            }
        }

        if (count > 0 && readings.Count == 0 && region is null)
        {
            // Nothing in the report could count: say what to fix rather than answer as if all were well.
            throw Problems.BadRequest(NothingUsable(view, rejected, unknown));
        }

        // Coupons this report causes are timed from here, as a gateway batch's are.
        CouponLatency.BatchReceived();

        // In event time: what was heard before an exit, the exit, then what was heard after it (a new visit).
        var shopper = grains.GetGrain<IShopperGrain>(shopperId);
        readings.Sort(static (a, b) => a.Timestamp.CompareTo(b.Timestamp));
        var exit = region is { Exit: true, At: var leftAt } ? leftAt : DateTimeOffset.MaxValue;
        var before = readings.TakeWhile(r => r.Timestamp <= exit).ToArray();
        var used = before.Length > 0 ? await shopper.RecordSightings(before) : 0;
        if (exit != DateTimeOffset.MaxValue)
        {
            await shopper.LeaveStore(exit);
        }

        if (readings.Count > before.Length)
        {
            used += await shopper.RecordSightings([.. readings.Skip(before.Length)]);
        }

        // A shopper without proximity consent uses none: dropped, like beacons of no store of theirs.
        return new SightingsResponse(used, unknown + readings.Count - used, rejected);
    }

    /// <summary>The hub's report, bound from JSON or MessagePack, read by the same rules as the HTTP body.</summary>
    public Task<SightingsResponse> IngestAsync(string shopperId, string storeId, PhoneReportMessage report)
    {
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(report.ToJson()), DocumentOptions);
        return IngestAsync(shopperId, storeId, document.RootElement.Clone());
    }

    private static string NothingUsable(StoreView view, List<RejectedSighting> rejected, int unknown)
    {
        var region = view.BeaconRegionUuid is { } uuid ? $"its beacons share the UUID {uuid:D}" : "it has no beacons registered yet";
        var parts = rejected.Take(3).Select(r => $"item {r.Index}: {r.Error}").ToList();
        if (unknown > 0)
        {
            parts.Add($"{unknown} reading(s) of beacons that are not store '{view.StoreId}''s ({region})");
        }

        return $"No reading of this report could be used: {string.Join("; ", parts)}.";
    }

    /// <summary>Null with <paramref name="sighting"/> set: a reading of the store's beacon; null without: not the store's beacon; else the error.</summary>
    private static string? ReadItem(JsonElement item, DateTimeOffset now, StoreView view, out Sighting? sighting)
    {
        sighting = null;
        try
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return "a sighting must be a JSON object { ts, rssi, ibeacon }";
            }

            if (!item.TryGetProperty("ts", out var ts) || ts.ValueKind == JsonValueKind.Null)
            {
                return "'ts' is required: when the phone ranged the beacon (ISO-8601 or Unix milliseconds)";
            }

            if (!UtcTimeConverter.TryRead(ts, out var at, out var tsError))
            {
                return $"'ts' {tsError}";
            }

            if (at > now + MaxAhead)
            {
                return "'ts' is in the future (more than 30 s ahead of the server's clock); check the phone's clock";
            }

            if (at < now - MaxAge)
            {
                return "'ts' is more than 2 minutes old; report readings as ranging gives them";
            }

            if (!item.TryGetProperty("rssi", out var rssiElement) || rssiElement.ValueKind != JsonValueKind.Number
                || !rssiElement.TryGetDouble(out var rssi) || rssi is < -127 or > 20)
            {
                return "'rssi' is required: a number of dBm from -127 to 20";
            }

            if (item.TryGetProperty("accuracy", out var accuracy) && accuracy.ValueKind is not (JsonValueKind.Null or JsonValueKind.Number))
            {
                return "'accuracy' must be a number of metres (iOS gives -1 when unknown)";
            }

            if (!item.TryGetProperty("ibeacon", out var ibeacon) || !TryReadIdentity(ibeacon, out var identity))
            {
                return "'ibeacon' is required: { \"uuid\": \"<the store's beacon UUID>\", \"major\": 0-65535, \"minor\": 0-65535 }";
            }

            // iOS reports 0 for a beacon it could not measure in that second: no evidence, not an error.
            if (rssi == 0 || !view.Beacons.TryGetValue(identity.Key, out var beacon))
            {
                return null;
            }

            var level = rssi + (ReferenceTxPower - (beacon.TxPower ?? ReferenceTxPower));
            sighting = new Sighting(TrackPrefix + beacon.BeaconId, beacon.ZoneId, level, at, FromPhone: true);
            return null;
        }
        catch (InvalidOperationException)
        {
            return "the item holds text that is not valid Unicode (bad UTF-8 or a lone surrogate)";
        }
    }

    private static bool TryReadIdentity(JsonElement element, out BeaconAdvertisement identity)
    {
        identity = null!;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("uuid", out var uuidElement) || uuidElement.ValueKind != JsonValueKind.String
            || !Guid.TryParse(uuidElement.GetString(), out var uuid)
            || !TryReadUInt16(element, "major", out var major) || !TryReadUInt16(element, "minor", out var minor))
        {
            return false;
        }

        identity = new BeaconAdvertisement(uuid, major, minor);
        return true;
    }

    private static bool TryReadUInt16(JsonElement parent, string name, out ushort value)
    {
        value = 0;
        if (parent.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && v is >= 0 and <= ushort.MaxValue)
        {
            value = (ushort)v;
            return true;
        }

        return false;
    }

    private static RegionEvent ReadRegion(JsonElement region, DateTimeOffset now)
    {
        if (region.ValueKind != JsonValueKind.Object
            || !region.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String
            || !(kind.ValueEquals("enter") || kind.ValueEquals("exit")))
        {
            throw Problems.BadRequest("'region' must be { \"event\": \"enter\" | \"exit\", \"ts\" }: what iOS region monitoring (or the Android scan) said, and when.");
        }

        if (!region.TryGetProperty("ts", out var ts) || !UtcTimeConverter.TryRead(ts, out var at, out _))
        {
            throw Problems.BadRequest("'region.ts' is required: an ISO-8601 time or Unix milliseconds.");
        }

        if (at > now + MaxAhead || at < now - MaxAge)
        {
            throw Problems.BadRequest("'region.ts' must lie within 2 minutes before and 30 s after the server's clock; check the phone's clock.");
        }

        return new RegionEvent(kind.ValueEquals("exit"), at);
    }

    private sealed record RegionEvent(bool Exit, DateTimeOffset At);
}

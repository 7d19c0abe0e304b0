using System.Text.Json;
using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Proximity.Rotation;
using BeaconEngine.Proximity.Uplinks;
using BeaconEngine.Server.Api;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// Reads a gateway's batch, once, into a <see cref="GatewayBatch"/>: each item is checked on its own (a broken
/// item is rejected with its index and reason, and the rest of the batch still counts), the store's view is read
/// once, identities are resolved in bulk (static ones through <see cref="IdentityResolver"/>, rotating ones and
/// Eddystone-EIDs through the store's <see cref="RotationTables"/>), and the valid sightings are grouped per shopper
/// and per calibration walk.
/// </summary>
public sealed class SightingIngestor(IStoreDirectory stores, IdentityResolver identities, RotatingIdentities rotating, TimeProvider time)
{
    public const int MaxBatchItems = 5_000;
    private static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxBacklog = TimeSpan.FromDays(7);

    public async Task<GatewayBatch> ReadAsync(string storeId, string gatewayId, string? batchId, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Problems.BadRequest($"The body must be a JSON object: {{ \"gatewayId\"?, \"sightings\": [ ... ] }}; it is {Describe(body.ValueKind)}.");
        }

        if (body.TryGetProperty("gatewayId", out var claimed) && claimed.ValueKind != JsonValueKind.Null
            && (claimed.ValueKind != JsonValueKind.String || !claimed.ValueEquals(gatewayId)))
        {
            throw Problems.Forbidden($"This key belongs to gateway '{gatewayId}'; 'gatewayId' in the body must match it or be left out.");
        }

        if (!body.TryGetProperty("sightings", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw Problems.BadRequest("'sightings' is required and must be an array.");
        }

        var count = items.GetArrayLength();
        if (count > MaxBatchItems)
        {
            throw Problems.TooLarge($"The batch has {count} sightings; at most {MaxBatchItems} are allowed. Split it.");
        }

        var (view, gateway) = await GatewayAsync(storeId, gatewayId);
        var now = time.GetUtcNow();
        var rejected = new List<RejectedSighting>();
        var readings = new List<Reading>(count);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var i = index++;
            if (TryReadText(item, now, out var identity, out var eid, out var rssi, out var at, out var error))
            {
                readings.Add(new Reading(i, identity, rssi, at, eid));
            }
            else
            {
                rejected.Add(new RejectedSighting(i, error!));
            }
        }

        return await GroupAsync(batchId, count, view, gateway, readings, rejected);
    }

    /// <summary>
    /// A vendor gateway's payload, already decoded (see <see cref="BeaconEngine.Proximity.Uplinks"/>): the
    /// decoder's per-item errors are rejected by index, a payload that could not be read at all is a 400.
    /// </summary>
    public async Task<GatewayBatch> ReadAsync(string storeId, string gatewayId, string? batchId, UplinkDecodeResult decoded)
    {
        if (decoded.Errors.FirstOrDefault(e => e.Index == UplinkError.WholePayload) is { Error: { } whole })
        {
            throw Problems.BadRequest(whole);
        }

        var (view, gateway) = await GatewayAsync(storeId, gatewayId);
        var now = time.GetUtcNow();
        var rejected = decoded.Errors.Select(e => new RejectedSighting(e.Index, e.Error)).ToList();
        var readings = new List<Reading>(decoded.Sightings.Count);
        foreach (var s in decoded.Sightings)
        {
            var at = s.Timestamp ?? now;
            if (CheckTime(at, now) is { } error)
            {
                rejected.Add(new RejectedSighting(s.Index, $"timestamp {error}"));
                continue;
            }

            readings.Add(new Reading(s.Index, s.IBeacon, s.Rssi, at));
        }

        var items = decoded.Sightings.Count + decoded.Errors.Count(e => e.Index != UplinkError.WholePayload);
        return await GroupAsync(batchId, items, view, gateway, readings, rejected);
    }

    private async Task<(StoreView View, GatewayDefinition Gateway)> GatewayAsync(string storeId, string gatewayId)
    {
        var view = await stores.GetAsync(storeId)
            ?? throw Problems.Forbidden($"Store '{storeId}' of this gateway no longer exists.");
        return view.Gateways.TryGetValue(gatewayId, out var gateway)
            ? (view, gateway)
            : throw Problems.Forbidden($"Gateway '{gatewayId}' is not registered in store '{storeId}'.");
    }

    /// <summary>
    /// Groups the valid readings per shopper and per calibration walk, in event-time order. A calibration device's
    /// readings serve its walk only, and never reach a shopper, a coupon or a count; identities of other stores
    /// or of no shopper are dropped here, before anything is stored. The identities are resolved all at once.
    /// </summary>
    private async Task<GatewayBatch> GroupAsync(
        string? batchId, int items, StoreView view, GatewayDefinition gateway, List<Reading> readings, List<RejectedSighting> rejected)
    {
        var storeUuid = view.Snapshot.BeaconUuid;
        var shopperIds = await identities.ResolveAllAsync(
            readings.Where(r => r.Identity is { } id && id.Uuid == storeUuid && id.Major != CalibrationRules.Major && !RotatingIdentity.IsRotating(id.Major))
                .Select(r => r.Identity!.Value),
            view.StoreId);
        var rotations = await ResolveRotatingAsync(view, readings);
        var byShopper = new Dictionary<string, List<Reading>>(StringComparer.Ordinal);
        var byWalk = new Dictionary<string, List<Reading>>(StringComparer.Ordinal);
        var dropped = new List<Reading>();
        var (replays, shared) = (0, 0);
        for (var r = 0; r < readings.Count; r++)
        {
            var reading = readings[r];
            if (rotations?[r] is { } rotation)
            {
                switch (rotation.Outcome)
                {
                    case RotationOutcome.Live:
                        Add(byShopper, rotation.ShopperId!, reading);
                        continue;
                    case RotationOutcome.Replay:
                        replays++;
                        break;
                    case RotationOutcome.Shared:
                        shared++;
                        break;
                }

                dropped.Add(reading);
            }

            // The store's reserved major: a calibration device, known to the store only while its walk is under way.
            else if (reading.Identity is { Major: CalibrationRules.Major } device && device.Uuid == storeUuid)
            {
                if (view.CalibrationDevices.TryGetValue(device.Minor, out var calibrationId))
                {
                    Add(byWalk, calibrationId, reading);
                }
                else
                {
                    dropped.Add(reading);
                }
            }
            else if (reading.Identity is { } id && id.Uuid == storeUuid && shopperIds.GetValueOrDefault(id) is { } shopperId)
            {
                Add(byShopper, shopperId, reading);
            }
            else
            {
                dropped.Add(reading);
            }
        }

        var walks = byWalk.Select(pair => (pair.Key, Value: InEventTimeOrder(pair.Value))).Select(pair => new WalkSightings(
            CalibrationRules.Key(view.StoreId, pair.Key),
            [.. pair.Value.Select(r => new CalibrationSighting(gateway.GatewayId, r.Rssi + gateway.RssiOffset, r.At))],
            [.. pair.Value.Select(r => r.Index)]));
        var shoppers = byShopper.Select(pair => (pair.Key, Value: InEventTimeOrder(pair.Value))).Select(pair => new ShopperSightings(
            pair.Key,
            [.. pair.Value.Select(r => new Sighting(gateway.GatewayId, gateway.ZoneId, r.Rssi + gateway.RssiOffset, r.At))],
            [.. pair.Value.Select(r => r.Index)]));
        return new GatewayBatch(
            batchId,
            items,
            [.. shoppers],
            [.. walks],
            [.. rejected.Select(r => new BatchRejection(r.Index, r.Error))],
            dropped.Count,
            dropped.Count == 0 ? null : dropped.Min(r => r.At),
            dropped.Count == 0 ? null : dropped.Max(r => r.At),
            replays,
            shared);
    }

    /// <summary>
    /// The store's rotating identities and Eddystone-EIDs of the batch, resolved under one lock of the store's tables
    /// (each match at its reading's place); null when the batch has none, so static stores never build tables.
    /// </summary>
    private async ValueTask<RotationMatch?[]?> ResolveRotatingAsync(StoreView view, List<Reading> readings)
    {
        var storeUuid = view.Snapshot.BeaconUuid;
        List<int>? places = null;
        for (var r = 0; r < readings.Count; r++)
        {
            if (readings[r].Eid is not null || (readings[r].Identity is { } id && id.Uuid == storeUuid && RotatingIdentity.IsRotating(id.Major)))
            {
                (places ??= []).Add(r);
            }
        }

        if (places is null)
        {
            return null;
        }

        var heard = new HeardRotation[places.Count];
        for (var i = 0; i < places.Count; i++)
        {
            var reading = readings[places[i]];
            heard[i] = reading.Eid is { } eid
                ? HeardRotation.EddystoneEid(eid, reading.At)
                : HeardRotation.IBeacon(reading.Identity!.Value.Major, reading.Identity.Value.Minor, reading.At);
        }

        var matches = new RotationMatch[places.Count];
        (await rotating.TablesAsync(view.StoreId, storeUuid, view.Snapshot.Layout.RotationPeriod)).ResolveAll(heard, matches);
        var aligned = new RotationMatch?[readings.Count];
        for (var i = 0; i < places.Count; i++)
        {
            aligned[places[i]] = matches[i];
        }

        return aligned;
    }

    private static void Add(Dictionary<string, List<Reading>> groups, string key, Reading reading)
    {
        if (!groups.TryGetValue(key, out var list))
        {
            groups[key] = list = [];
        }

        list.Add(reading);
    }

    private static List<Reading> InEventTimeOrder(List<Reading> readings)
    {
        readings.Sort(static (a, b) => a.At.CompareTo(b.At));
        return readings;
    }

    /// <summary>One valid item: its iBeacon identity, or the EID of an Eddystone-EID frame, or neither (another kind of beacon).</summary>
    private readonly record struct Reading(int Index, BeaconIdentity? Identity, double Rssi, DateTimeOffset At, ulong? Eid = null);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "empty",
    };

    private static string? CheckTime(DateTimeOffset at, DateTimeOffset now) =>
        at > now + MaxClockAhead ? "is more than 5 minutes in the future; check the gateway's clock"
        : at < now - MaxBacklog ? "is more than 7 days old"
        : null;

    /// <summary>
    /// A number that, read as milliseconds, lies in 1970 but, read as seconds, is a time we would accept: a gateway
    /// sending Unix seconds, the commonest mistake with the contract's Unix milliseconds.
    /// </summary>
    private static bool LooksLikeUnixSeconds(JsonElement ts, DateTimeOffset now, out long seconds)
    {
        seconds = 0;
        return ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out seconds)
            && seconds is > 0 and < 253_402_300_799
            && CheckTime(DateTimeOffset.FromUnixTimeSeconds(seconds), now) is null;
    }

    private static bool TryReadItem(JsonElement item, DateTimeOffset now, out BeaconIdentity? identity, out ulong? eid, out double rssi, out DateTimeOffset at, out string? error)
    {
        identity = null;
        eid = null;
        rssi = 0;
        at = now;
        if (item.ValueKind != JsonValueKind.Object)
        {
            error = "a sighting must be a JSON object";
            return false;
        }

        if (!item.TryGetProperty("rssi", out var rssiElement))
        {
            error = "'rssi' is required (dBm, a number from -127 to 20)";
            return false;
        }

        if (rssiElement.ValueKind != JsonValueKind.Number || !rssiElement.TryGetDouble(out rssi) || rssi is < -127 or > 20)
        {
            error = "'rssi' must be a number of dBm from -127 to 20";
            return false;
        }

        if (item.TryGetProperty("ts", out var ts) && ts.ValueKind != JsonValueKind.Null)
        {
            if (!UtcTimeConverter.TryRead(ts, out at, out var tsError))
            {
                error = $"'ts' {tsError}";
                return false;
            }

            if (CheckTime(at, now) is { } timeError)
            {
                error = LooksLikeUnixSeconds(ts, now, out var seconds)
                    ? $"'ts' {seconds} looks like Unix seconds; send Unix milliseconds ({seconds * 1000}) or an ISO-8601 time such as \"2026-11-23T10:15:00.250Z\", as the contract says"
                    : $"'ts' {timeError}";
                return false;
            }
        }

        if (item.TryGetProperty("txPower", out var tx) && tx.ValueKind != JsonValueKind.Null
            && (tx.ValueKind != JsonValueKind.Number || !tx.TryGetDouble(out var txPower) || txPower is < -127 or > 20))
        {
            error = "'txPower' must be a number of dBm from -127 to 20";
            return false;
        }

        var hasIBeacon = item.TryGetProperty("ibeacon", out var ibeacon) && ibeacon.ValueKind != JsonValueKind.Null;
        var hasRaw = item.TryGetProperty("rawData", out var raw) && raw.ValueKind != JsonValueKind.Null;
        if (hasIBeacon == hasRaw)
        {
            error = "give exactly one of 'ibeacon' { uuid, major, minor } or 'rawData' (hex of the advertisement)";
            return false;
        }

        return hasIBeacon ? TryReadIBeacon(ibeacon, out identity, out error) : TryReadRaw(raw, out identity, out eid, out error);
    }

    /// <summary>
    /// <see cref="TryReadItem"/>, with text that is not valid Unicode (invalid UTF-8, an escaped lone
    /// surrogate) rejected as the item's error: the JSON reader lets it through and only decoding throws.
    /// </summary>
    private static bool TryReadText(JsonElement item, DateTimeOffset now, out BeaconIdentity? identity, out ulong? eid, out double rssi, out DateTimeOffset at, out string? error)
    {
        try
        {
            return TryReadItem(item, now, out identity, out eid, out rssi, out at, out error);
        }
        catch (InvalidOperationException)
        {
            (identity, eid, rssi, at) = (null, null, 0, now);
            error = "the item holds text that is not valid Unicode (bad UTF-8 or a lone surrogate)";
            return false;
        }
    }

    private static bool TryReadIBeacon(JsonElement element, out BeaconIdentity? identity, out string? error)
    {
        identity = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "'ibeacon' must be an object { uuid, major, minor }";
            return false;
        }

        if (!element.TryGetProperty("uuid", out var uuidElement) || uuidElement.ValueKind != JsonValueKind.String
            || !Guid.TryParse(uuidElement.GetString(), out var uuid))
        {
            error = "'ibeacon.uuid' must be a UUID string such as \"f7826da6-4fa2-4e98-8024-bc5b71e0893e\"";
            return false;
        }

        if (!TryReadUInt16(element, "major", out var major) || !TryReadUInt16(element, "minor", out var minor))
        {
            error = "'ibeacon.major' and 'ibeacon.minor' must be whole numbers from 0 to 65535";
            return false;
        }

        identity = new BeaconIdentity(uuid, major, minor);
        error = null;
        return true;
    }

    private static bool TryReadRaw(JsonElement element, out BeaconIdentity? identity, out ulong? eid, out string? error)
    {
        identity = null;
        eid = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            error = "'rawData' must be a hex string";
            return false;
        }

        // A well-formed advertisement of another kind is not ours to track, and not an error either.
        if (!AdvertisementHex.TryReadAdStructures("rawData", element.GetString()!, out var bytes, out var frame, out error))
        {
            return false;
        }

        identity = frame?.Identity;
        if (identity is null && AdvertisementParser.Parse(bytes).Frames.OfType<BeaconFrame.EddystoneEid>().FirstOrDefault() is { } eidFrame)
        {
            // A rotating shopper's phone may send Eddystone-EID: the store's tables resolve it like its iBeacon twin.
            eid = eidFrame.EphemeralId;
        }

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
}

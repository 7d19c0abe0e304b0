using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Gateway.Calibration;

/// <summary>
/// Replays a labelled recording as an installer's calibration walk: starts a calibration, marks each zone the
/// recording enters (from its <c>zone</c> column, or its x, y placed on the store's layout), sends each receiver's
/// readings of the walk's advertisement as that gateway's batches (one a second, as an agent does), fits, and
/// prints what the fit learned. The recording is moved in time to end just before now.
/// </summary>
public sealed class CalibrationReplay(CalibrateOptions options, HttpClient http, TextWriter output, TimeProvider time)
{
    public async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var storePath = $"/api/v1/stores/{Uri.EscapeDataString(options.StoreId)}";
        var floor = new FloorZones(await SendAsync(HttpMethod.Get, storePath, options.OperatorKey!, null, cancellationToken));
        using var file = new StreamReader(options.Recording);
        var walk = LabelledWalk.Read(file, options.Rows);
        if (walk.Rows.Count == 0)
        {
            throw new InvalidDataException($"{options.Recording} has no rows.");
        }

        var zones = Label(walk, floor);
        var gateways = walk.Receivers.Select(n => options.Gateways.GetValueOrDefault(n) ?? $"rx-{n}").ToArray();
        foreach (var missing in gateways.Where(g => !options.GatewayKeys.ContainsKey(g)))
        {
            output.WriteLine($"No key for gateway '{missing}' (--Calibrate:GatewayKeys:{missing}=...): its readings are left out.");
        }

        // Whole milliseconds, ending two seconds ago: the engine takes no sightings from the future or older than a week.
        var shift = time.GetUtcNow().AddSeconds(-2) - walk.Rows[^1].At;
        DateTimeOffset At(DateTimeOffset recorded) => DateTimeOffset.FromUnixTimeMilliseconds((recorded + shift).ToUnixTimeMilliseconds());

        var started = await SendAsync(HttpMethod.Post, $"{storePath}/calibrations", options.OperatorKey!, new JsonObject(), cancellationToken);
        var calibrationId = started["calibrationId"]!.GetValue<string>();
        var ad = started["advertisement"]!.AsObject();
        output.WriteLine($"Calibration {calibrationId}: the walk's device is iBeacon {ad["uuid"]} major {ad["major"]} minor {ad["minor"]}.");
        var walkPath = $"{storePath}/calibrations/{calibrationId}";

        var marks = 0;
        string? current = null;
        for (var i = 0; i < walk.Rows.Count; i++)
        {
            if (zones[i] != current)
            {
                current = zones[i];
                await MarkAsync(walkPath, current, At(walk.Rows[i].At), cancellationToken);
                marks++;
            }
        }

        await MarkAsync(walkPath, null, At(walk.Rows[^1].At).AddMilliseconds(1), cancellationToken);

        var sent = 0;
        var first = walk.Rows[0].At;
        foreach (var second in walk.Rows.GroupBy(r => (long)(r.At - first).TotalSeconds))
        {
            for (var g = 0; g < gateways.Length; g++)
            {
                if (!options.GatewayKeys.TryGetValue(gateways[g], out var key))
                {
                    continue;
                }

                var sightings = new JsonArray();
                foreach (var row in second)
                {
                    if (row.Rssi[g] is { } rssi)
                    {
                        sightings.Add(new JsonObject
                        {
                            ["ts"] = At(row.At).ToUnixTimeMilliseconds(),
                            ["rssi"] = Math.Round(rssi, 2),
                            ["ibeacon"] = ad.DeepClone(),
                        });
                    }
                }

                if (sightings.Count > 0)
                {
                    var answer = await SendAsync(HttpMethod.Post, "/api/v1/sightings", key, new JsonObject { ["gatewayId"] = gateways[g], ["sightings"] = sightings }, cancellationToken);
                    sent += answer["accepted"]!.GetValue<int>();
                }
            }
        }

        output.WriteLine($"Sent {walk.Rows.Count} rows: {marks} marks, {sent} sightings taken by the walk.");
        var report = await SendAsync(HttpMethod.Post, $"{walkPath}/fit", options.OperatorKey!, null, cancellationToken);
        Print(report);
        return report;
    }

    /// <summary>Each row's zone: its own <c>zone</c> cell, or its point placed on the layout.</summary>
    private static string?[] Label(LabelledWalk walk, FloorZones floor)
    {
        var known = floor.ZoneIds.ToHashSet(StringComparer.Ordinal);
        var zones = new string?[walk.Rows.Count];
        for (var i = 0; i < zones.Length; i++)
        {
            var row = walk.Rows[i];
            if (row.Zone is { } zone)
            {
                zones[i] = known.Contains(zone) ? zone : throw new InvalidDataException($"Row {i + 1} names zone '{zone}', which the store does not have ({string.Join(", ", known)}).");
            }
            else if (row.X is { } x && row.Y is { } y)
            {
                zones[i] = floor.CanPlace
                    ? floor.ZoneAt(x, y)
                    : throw new InvalidDataException("The store's layout has no zone shapes and no gateway positions, so x, y cannot be placed in a zone: add them, or give the recording a 'zone' column.");
            }
        }

        return zones;
    }

    private Task<JsonObject> MarkAsync(string walkPath, string? zoneId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{walkPath}/marks", options.OperatorKey!, new JsonObject { ["zoneId"] = zoneId, ["at"] = at.ToUnixTimeMilliseconds() }, cancellationToken);

    private void Print(JsonObject report)
    {
        string Percent(string name) => report[name]!.GetValue<double>().ToString("P1", CultureInfo.InvariantCulture);
        output.WriteLine($"Fitted: right {Percent("accuracyBefore")} of the walk's {report["moments"]} moments before, {Percent("accuracyAfter")} after (cross-validated).");
        output.WriteLine("Samples per zone: " + string.Join(", ", report["samplesPerZone"]!.AsObject().Select(p => $"{p.Key} {p.Value}")));
        var missed = report["zonesNotCovered"]!.AsArray();
        output.WriteLine(missed.Count == 0 ? "Every zone was covered." : $"Not covered (they keep the uncalibrated model): {string.Join(", ", missed)}");
        output.WriteLine("Gateway corrections (dB): " + string.Join(", ", report["gatewayCorrections"]!.AsObject().Select(p => $"{p.Key} {p.Value}")));
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string key, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(options.Url), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = text.Length > 0 && JsonNode.Parse(text) is JsonObject problem && problem["detail"] is { } d ? d.GetValue<string>() : text;
            throw new CalibrationReplayException($"{method} {path} answered {(int)response.StatusCode}: {detail}");
        }

        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}

/// <summary>The engine refused a step of the replay; the message carries its problem's detail.</summary>
public sealed class CalibrationReplayException(string message) : Exception(message);

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using BeaconEngine.Server.Ingestion;

namespace BeaconEngine.Server.Api;

// The native batch of POST /api/v1/sightings, as the OpenAPI document describes it. The route reads the body itself,
// item by item (SightingIngestor), so that one broken item is rejected alone instead of failing the whole batch; these
// types give the document the fields, types and ranges that reading enforces.

/// <summary>A gateway's batch.</summary>
[Description("A gateway's batch of sightings. Each item is judged on its own: a broken item is rejected with its index and reason, the rest count.")]
public sealed record SightingsRequest(
    [property: Description("The gateway this batch is from. Optional; if given, it must be the key's own gateway (403 otherwise).")]
    string? GatewayId,
    [property: Description("Names the batch so a retry is answered, not counted again: 1 to 128 visible ASCII characters, unique among this gateway's batches. The same as the Idempotency-Key header if both are given.")]
    [property: StringLength(128, MinimumLength = 1)]
    string? BatchId,
    [property: Description("The sightings, 0 to 5,000 of them (413 past it).")]
    [property: MaxLength(SightingIngestor.MaxBatchItems)]
    IReadOnlyList<SightingItem> Sightings);

/// <summary>One advertisement heard: give exactly one of <see cref="IBeacon"/> and <see cref="RawData"/>.</summary>
[Description("One advertisement heard by the gateway. Give exactly one of ibeacon and rawData.")]
public sealed record SightingItem(
    [property: Description("When it was heard: an ISO-8601 time (UTC when it has no offset) or Unix milliseconds. Left out: now. At most 5 minutes ahead of the server's clock and 7 days old; a number in Unix seconds is rejected, saying so.")]
    DateTimeOffset? Ts,
    [property: Description("Received signal strength, dBm.")]
    [property: Range(-127, 20)]
    double Rssi,
    [property: Description("Calibrated transmit power at 1 m, dBm, if the gateway reports it.")]
    [property: Range(-127, 20)]
    double? TxPower,
    [property: Description("The iBeacon identity heard (the shopper's phone broadcasts the one it was given at enrolment).")]
    [property: JsonPropertyName("ibeacon")]
    BeaconIdentityBody? IBeacon,
    [property: Description("The advertisement's AD structures as hex, for gateways that forward raw frames. iBeacon frames are read; other well-formed frames are dropped, not rejected.")]
    [property: RegularExpression("^([0-9A-Fa-f]{2})+$")]
    string? RawData);

/// <summary>An iBeacon identity.</summary>
public sealed record BeaconIdentityBody(
    [property: Description("The proximity UUID; the store's beaconUuid for its shoppers.")]
    Guid Uuid,
    [property: Range(0, 65535)]
    int Major,
    [property: Range(0, 65535)]
    int Minor);

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace BeaconEngine.Server.Api;

/// <summary>A fixed beacon to register: its zone, its iBeacon identity, and optionally its power and place.</summary>
public sealed record BeaconRequest(
    string? BeaconId,
    string? ZoneId,
    [property: JsonPropertyName("ibeacon")] BeaconIdentityRequest? IBeacon,
    [property: Description("Measured power at 1 m, dBm, as the beacon is configured (default -59).")] double? TxPower = null,
    PositionDto? Position = null);

public sealed record BeaconIdentityRequest(string? Uuid, int? Major, int? Minor);

public sealed record BeaconResponse(
    string BeaconId,
    string ZoneId,
    [property: JsonPropertyName("ibeacon")] AdvertisementResponse IBeacon,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TxPower,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PositionDto? Position);

/// <summary><c>regionUuid</c>: the proximity UUID every beacon of the store shares (null until one is registered).</summary>
public sealed record BeaconListResponse(string StoreId, string? RegionUuid, IReadOnlyList<BeaconResponse> Beacons);

/// <summary>The iOS beacon region (or Android scan filter) the shopper's app monitors for the store.</summary>
public sealed record BeaconRegionResponse(
    [property: Description("The proximity UUID all the store's beacons share.")] string Uuid,
    [property: Description("A stable name for the region, for CLBeaconRegion's identifier.")] string Identifier);

// The body of POST /api/v1/me/sightings (and the hub's ReportSightings) as the OpenAPI document describes it; the route
// reads the body item by item (PhoneReportIngestor), so one broken item is rejected alone.

[Description("The store beacons the phone ranged, and optionally a region enter or exit. Each item is judged on its own.")]
public sealed record PhoneSightingsRequest(
    [property: Description("Readings, 0 to 5,000 (413 past it); report about once a second.")]
    [property: MaxLength(5_000)]
    IReadOnlyList<PhoneSightingItem>? Sightings,
    [property: Description("What region monitoring said: the phone entered or left the store's beacon region. An exit takes the shopper out of the store at once.")]
    RegionEventDto? Region);

public sealed record PhoneSightingItem(
    [property: Description("When the phone ranged the beacon: ISO-8601 or Unix milliseconds; at most 2 minutes old and 30 s ahead.")]
    DateTimeOffset Ts,
    [property: Description("RSSI the phone measured, dBm (0, iOS's 'not measured', is dropped).")]
    [property: Range(-127, 20)]
    double Rssi,
    [property: JsonPropertyName("ibeacon")]
    BeaconIdentityBody IBeacon,
    [property: Description("The phone's distance estimate in metres, if any (informational).")]
    double? Accuracy);

public sealed record RegionEventDto(
    [property: Description("\"enter\" or \"exit\".")] string Event,
    DateTimeOffset Ts);

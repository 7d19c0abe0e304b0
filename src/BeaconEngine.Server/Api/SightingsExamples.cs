using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BeaconEngine.Server.Api;

/// <summary>
/// The examples and error meanings of POST /api/v1/sightings in the OpenAPI document: the route a gateway developer
/// reads first, so it shows a whole batch, its answer, and what each error status means for the batch.
/// </summary>
public static class SightingsExamples
{
    /// <summary>A batch with each identity form and each time form.</summary>
    public static JsonNode Request() => JsonNode.Parse("""
        {
          "gatewayId": "gw-snacks",
          "batchId": "3f2b7c1e-0001",
          "sightings": [
            { "ts": "2026-11-23T10:15:00.250Z", "rssi": -62, "txPower": -59,
              "ibeacon": { "uuid": "57f4cd78-4668-45d1-9d85-8d81bc530cd0", "major": 1, "minor": 1 } },
            { "ts": 1795428900750, "rssi": -71, "rawData": "0201061aff4c000215f7826da64fa24e988024bc5b71e0893e0001000bc5" },
            { "rssi": "strong", "ibeacon": { "uuid": "57f4cd78-4668-45d1-9d85-8d81bc530cd0", "major": 1, "minor": 1 } }
          ]
        }
        """)!;

    /// <summary>The answer to <see cref="Request"/>: one placed, one stranger's beacon dropped, one broken item named.</summary>
    public static JsonNode Response() => JsonNode.Parse("""
        { "accepted": 1, "dropped": 1, "rejected": [ { "index": 2, "error": "'rssi' must be a number of dBm from -127 to 20" } ] }
        """)!;

    private static readonly Dictionary<string, string> Errors = new(StringComparer.Ordinal)
    {
        ["400"] = "The body is not JSON (or MessagePack), not an object, has no 'sightings' array, or a malformed batch id. Nothing of it counted.",
        ["403"] = "Not a gateway's key, a 'gatewayId' that is not the key's own, or a gateway no longer registered.",
        ["409"] = "A retry of a batch id whose first delivery is still being processed: send it again shortly.",
        ["413"] = "More than 5,000 sightings, or a body over 1 MiB: split the batch.",
        ["415"] = "A Content-Type other than application/json or application/x-msgpack, or a body that does not match the type declared.",
        ["429"] = "This gateway is over its rate limit: wait Retry-After seconds.",
    };

    /// <summary>
    /// The vendor routes take a body of any content type (gateways label their uploads in many ways), so they declare
    /// no accepted type to the router; the document still shows the format each reads, with the vendors' own example.
    /// </summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Vendor(string contentType, JsonSchemaType type, string description, string example) =>
        (operation, context, cancellationToken) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [contentType] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = type, Description = description },
                        Example = type == JsonSchemaType.Array ? JsonNode.Parse(example) : JsonValue.Create(example),
                    },
                },
            };
            Describe(operation, context, cancellationToken);
            if (operation.Responses?.TryGetValue("400", out var bad) == true && bad is OpenApiResponse editable)
            {
                editable.Description = "The body as a whole is not in the vendor's format (for Minew, not a JSON array), or a malformed Idempotency-Key. A broken item alone is listed in 'rejected' instead.";
            }

            operation.Responses?.Remove("415");
            return Task.CompletedTask;
        };

    public const string MinewExample = """
        [
          {"timestamp":"2022-01-20T13:22:49.434Z","type":"Gateway","mac":"AC233FC0BC43","gatewayFree":23,"gatewayLoad":1.34},
          {"timestamp":"2022-01-20T13:22:49.519Z","type":"iBeacon","mac":"AC233F8C7CEE","bleName":"","ibeaconUuid":"E2C56DB5DFFB48D2B060D0F5A71096E0","ibeaconMajor":0,"ibeaconMinor":0,"rssi":-38,"ibeaconTxPower":-59,"battery":0}
        ]
        """;

    public const string IngicsExample =
        "$GPRP,0C61CFC1452E,E7DAE08E6FC3,-44,0201061AFF4C000215B9A5D27D56CC4E3AAB511F2153BCB9670001452ED6\n"
        + "$GPRP,CCB97E7361A4,CB412F0C8EDC,-49,1309696773206D65736820233220285445535429020106,1574921085\n";

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content is { } content)
        {
            foreach (var (type, media) in content)
            {
                if (type == "application/json")
                {
                    media.Example = Request();
                }
            }
        }

        if (operation.Responses is { } responses)
        {
            foreach (var (status, response) in responses)
            {
                if (status == "202" && response.Content?.TryGetValue("application/json", out var accepted) == true)
                {
                    accepted.Example = Response();
                }
                else if (Errors.TryGetValue(status, out var meaning) && response is OpenApiResponse editable)
                {
                    editable.Description = meaning;
                }
            }
        }

        return Task.CompletedTask;
    }
}

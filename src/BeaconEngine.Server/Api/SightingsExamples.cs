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

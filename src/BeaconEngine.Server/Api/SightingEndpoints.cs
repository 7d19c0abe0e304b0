using System.Security.Claims;
using System.Text.Json;
using BeaconEngine.Proximity.Uplinks;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>Gateway uplink: batches of sightings in our native JSON, and in the formats vendor gateways send.</summary>
public static class SightingEndpoints
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>
    /// The native route takes JSON. The vendor routes take any content type, because gateways label
    /// their uploads in many ways; their decoders judge the body itself.
    /// </summary>
    public static IEndpointRouteBuilder MapSightingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/sightings", Post).RequireAuthorization(Roles.Gateway).WithTags("Gateway")
            .WithSummary("Send a gateway's batch of sightings")
            .WithDescription("Each item is judged on its own: a broken item is listed in 'rejected' with its index and what to fix, "
                + "and the rest of the batch counts. 'dropped' counts valid sightings of identities no consenting shopper holds. "
                + "The same map may be sent as MessagePack (application/x-msgpack). A retried Idempotency-Key or batchId gets its "
                + "first answer again, with 'Idempotent-Replayed: true', and is counted once.")
            .Accepts<SightingsRequest>("application/json", "application/x-msgpack")
            .Produces<SightingsResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer(SightingsExamples.Describe);
        app.MapPost("/api/v1/sightings/minew", PostMinew).RequireAuthorization(Roles.Gateway).WithTags("Gateway")
            .WithSummary("Send a Minew gateway's upload").WithDescription("A Minew G1 / MG3 gateway's JSON-LONG upload: a JSON array, with any content type. The key may also come as ?access_token=. The fields read and what is rejected: docs/gateway-formats.md.")
            .Produces<SightingsResponse>(StatusCodes.Status202Accepted)
            .VendorErrors()
            .AddOpenApiOperationTransformer(SightingsExamples.Vendor(
                "application/json", Microsoft.OpenApi.JsonSchemaType.Array,
                "Minew JSON-LONG: one object with \"type\": \"Gateway\" and one per device heard (mac, rssi, timestamp, ibeaconUuid / Major / Minor or rawData). At most 5,000 items.",
                SightingsExamples.MinewExample));
        app.MapPost("/api/v1/sightings/ingics", PostIngics).RequireAuthorization(Roles.Gateway).WithTags("Gateway")
            .WithSummary("Send an Ingics gateway's reports").WithDescription("An Ingics iGS gateway's report lines ($GPRP,...), with any content type. The key may also come as ?access_token=. The fields read and what is rejected: docs/gateway-formats.md.")
            .Produces<SightingsResponse>(StatusCodes.Status202Accepted)
            .VendorErrors()
            .AddOpenApiOperationTransformer(SightingsExamples.Vendor(
                "text/plain", Microsoft.OpenApi.JsonSchemaType.String,
                "Ingics iGS report lines, one per line: $<type>,<tag id>,<gateway MAC>,<rssi>,<packet hex>[,<unix seconds>]. At most 5,000 reports.",
                SightingsExamples.IngicsExample));
        return app;
    }

    /// <summary>The errors a vendor upload can meet; a body of any type is read, so there is no 415.</summary>
    private static RouteHandlerBuilder VendorErrors(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> PostMinew(HttpContext context, ClaimsPrincipal user, BatchIngestor batches)
    {
        var body = await ReadBodyAsync(context);
        var outcome = await batches.IngestAsync(user.StoreId(), user.SubjectId(), BatchIds.Check(context.Request.Headers[BatchIds.Header]), MinewJsonLongDecoder.Decode(body));
        return Accepted(context, outcome);
    }

    private static async Task<IResult> PostIngics(HttpContext context, ClaimsPrincipal user, BatchIngestor batches)
    {
        var body = await ReadBodyAsync(context);
        var outcome = await batches.IngestAsync(user.StoreId(), user.SubjectId(), BatchIds.Check(context.Request.Headers[BatchIds.Header]), IngicsDecoder.Decode(body.Span));
        return Accepted(context, outcome);
    }

    /// <summary>The whole body; Kestrel's 1 MiB limit turns a larger one into a 413.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static async Task<IResult> Post(HttpContext context, ClaimsPrincipal user, BatchIngestor batches)
    {
        var body = await ReadBodyAsync(context);
        var declaredMessagePack = MessagePackBodies.Accepts(context.Request.ContentType);
        BodyKinds.ThrowIfMismatched(context.Request.ContentType, declaredMessagePack, body.Span);
        JsonDocument document;
        try
        {
            document = declaredMessagePack
                ? MessagePackBodies.ToJson(body, DocumentOptions)
                : JsonDocument.Parse(WithoutByteOrderMark(body), DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw Problems.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var batchId = BatchIds.Read(context.Request.Headers[BatchIds.Header], document.RootElement);
            return Accepted(context, await batches.IngestAsync(user.StoreId(), user.SubjectId(), batchId, document.RootElement));
        }
    }

    /// <summary>A UTF-8 byte order mark is allowed before JSON text (as the stream reader allowed it) but is not JSON.</summary>
    private static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> body) =>
        body.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body;

    /// <summary>202 with the batch's answer; a retried batch id gets its first answer again, marked by a header.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<SightingsResponse> Accepted(HttpContext context, BatchOutcome outcome)
    {
        if (outcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Json(outcome.Response, statusCode: StatusCodes.Status202Accepted);
    }
}

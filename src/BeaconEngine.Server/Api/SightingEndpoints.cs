using System.Security.Claims;
using System.Text.Json;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;

namespace BeaconEngine.Server.Api;

/// <summary>Gateway uplink: batches of sightings in our native JSON.</summary>
public static class SightingEndpoints
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static IEndpointRouteBuilder MapSightingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/sightings", Post).RequireAuthorization(Roles.Gateway).WithTags("Gateway")
            .WithSummary("A gateway's batch of sightings; bad items are rejected one by one")
            .Accepts<JsonElement>("application/json")
            .Produces<SightingsResponse>(StatusCodes.Status202Accepted);
        return app;
    }

    private static async Task<IResult> Post(HttpContext context, ClaimsPrincipal user, SightingIngestor ingestor)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, DocumentOptions, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw Problems.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var result = await ingestor.IngestAsync(user.StoreId(), user.SubjectId(), document.RootElement);
            return TypedResults.Json(result, statusCode: StatusCodes.Status202Accepted);
        }
    }
}

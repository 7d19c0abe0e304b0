using Microsoft.AspNetCore.Mvc;

namespace BeaconEngine.Server.Api;

/// <summary>RFC 7807 responses: a status, a title and a detail that says what was wrong and how to fix it.</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = ProblemText.Scrub(detail) };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    public static ApiProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail);

    public static ApiProblemException NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static ApiProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ApiProblemException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ApiProblemException TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);

    public static ApiProblemException Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, "Unprocessable", detail);

    /// <summary>The 415 detail for a route that takes JSON: the type that was declared, and the one to send.</summary>
    public static string JsonOnly(string? declared) => string.IsNullOrWhiteSpace(declared)
        ? "The request has no Content-Type. Send the body as JSON with 'Content-Type: application/json'."
        : $"The Content-Type is '{declared}', but this route takes JSON. Send the body as JSON with 'Content-Type: application/json'.";

    public static ApiProblemException UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    public static ApiProblemException PreconditionFailed(string detail) => new(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail);

    public static ApiProblemException Gone(string detail) => new(StatusCodes.Status410Gone, "Gone", detail);

    /// <summary>503 with <c>Retry-After</c>: the node is at a bound and the same request will do once it has room.</summary>
    public static ApiProblemException Busy(string detail, int retryAfterSeconds) =>
        new(StatusCodes.Status503ServiceUnavailable, "Engine busy", detail) { RetryAfterSeconds = retryAfterSeconds };
}

/// <summary>Thrown by endpoint code to answer with a problem; the exception handler writes it.</summary>
public sealed class ApiProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>Seconds the caller should wait before sending the request again (the <c>Retry-After</c> header), if any.</summary>
    public int? RetryAfterSeconds { get; init; }
}

using System.Text.Json;
using BeaconEngine.Server.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace BeaconEngine.Server.Api;

/// <summary>Turns every failure into problem+json: client mistakes keep their 4xx, anything else is a 500 without internals.</summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ApiProblemException problem:
                if (problem.RetryAfterSeconds is { } retryAfter)
                {
                    httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Problems.WriteAsync(httpContext, problem.Status, problem.Title, problem.Message);
                return true;
            case BadHttpRequestException bad:
                await Problems.WriteAsync(httpContext, bad.StatusCode, TitleFor(bad.StatusCode), DetailFor(bad, httpContext.Request.ContentType));
                return true;
            case JsonException json:
                await Problems.WriteAsync(httpContext, StatusCodes.Status400BadRequest, "Invalid JSON", $"The request body is not valid JSON: {json.Message}");
                return true;
            case Orleans.Storage.InconsistentStateException:
                // Another writer changed the stored state since it was read (another server on the same
                // data, or a duplicate activation in a cluster). Nothing was written; the grain reloads.
                await Problems.WriteAsync(httpContext, StatusCodes.Status409Conflict, "Conflicting change",
                    "What this request would change was changed at the same moment by another writer, so nothing was saved. Read it again and retry.");
                return true;
            case var _ when StoreFailure.IsUnavailable(exception):
                // The database (or Redis) is down or restarting: the client waits and retries, as for a 429.
                logger.LogWarning("The store did not answer on {Method} {Path}: {Message}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
                httpContext.Response.Headers.RetryAfter = StoreFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                    $"The engine cannot reach its database at the moment. Send the same request again in {StoreFailure.RetryAfterSeconds} s (Retry-After); a batch sent again with its batchId is never counted twice.");
                return true;
            case SiloUnavailableException or OrleansMessageRejectionException:
                // A front-end whose silos are all gone, or a silo that died under the call (its grains move to
                // another silo once membership declares it dead): the same retry as for the database.
                logger.LogWarning("The cluster did not answer on {Method} {Path}: {Message}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
                httpContext.Response.Headers.RetryAfter = StoreFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Cluster unavailable",
                    $"The engine's silo for this request is not reachable at the moment. Send the same request again in {StoreFailure.RetryAfterSeconds} s (Retry-After); a batch sent again with its batchId is never counted twice.");
                return true;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                return true;
            default:
                logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
                await Problems.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "Internal error",
                    "The server could not complete the request. Nothing was lost; it is safe to retry. Quote the traceId when reporting it.");
                return true;
        }
    }

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Payload too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Invalid request",
    };

    private static string DetailFor(BadHttpRequestException bad, string? contentType)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return "The request body is larger than 1 MiB. Send smaller batches.";
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return Problems.JsonOnly(contentType);
        }

        // Minimal APIs wrap the JSON reader's error, which names the path and position of the mistake.
        var inner = bad.InnerException is JsonException json ? json.Message : bad.InnerException?.Message;
        return inner is null
            ? bad.Message
            : $"The request body could not be read as JSON: {inner}";
    }
}

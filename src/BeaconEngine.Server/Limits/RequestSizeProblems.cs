using BeaconEngine.Server.Api;
using Microsoft.AspNetCore.Http.Features;

namespace BeaconEngine.Server.Limits;

/// <summary>
/// Answers an over-long request line (414) or an oversized header section (431) with a problem, where
/// Kestrel alone would give a bare status. Kestrel's own limits sit at twice these
/// (<see cref="KestrelFactor"/>), so a request between the two reaches this middleware; past Kestrel's,
/// the connection gets Kestrel's bare answer, since no application code runs for it.
/// </summary>
public sealed class RequestSizeProblems(RequestDelegate next)
{
    /// <summary>Longest request line (method, target, version) the server takes.</summary>
    public const int MaxRequestLine = 8 * 1024;

    /// <summary>Largest header section (names, values and their separators) the server takes.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int KestrelFactor = 2;

    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var line = context.Request.Method.Length + 1 + target.Length + 1 + context.Request.Protocol.Length + 2;
        if (line > MaxRequestLine)
        {
            return Problems.WriteAsync(context, StatusCodes.Status414UriTooLong, "URI too long",
                $"The request line is {line} bytes; at most {MaxRequestLine} are taken. Send long data in the body, not the query string.");
        }

        var headers = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                headers += name.Length + 2 + (value?.Length ?? 0) + 2;
            }
        }

        if (headers > MaxHeaderBytes)
        {
            return Problems.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"The request's headers are {headers} bytes; at most {MaxHeaderBytes} are taken. Send fewer or smaller headers (cookies included).");
        }

        return next(context);
    }
}

using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using BeaconEngine.Server.Api;
using Microsoft.AspNetCore.RateLimiting;

namespace BeaconEngine.Server.Security;

/// <summary>
/// Per-gateway and per-key rate limits (ASP.NET Core rate limiting, token buckets): a caller over its
/// limit gets a 429 problem with <c>Retry-After</c>, and no work is done for it. The operator's key is
/// not limited. Runs after
/// authentication, so a key's requests count against that key wherever they come from.
/// </summary>
public static class RateLimiting
{
    public const string EnrolmentPolicy = "enrolment";

    public static IServiceCollection AddBeaconEngineRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        Check(limits.Gateway, nameof(limits.Gateway));
        Check(limits.Key, nameof(limits.Key));
        Check(limits.Anonymous, nameof(limits.Anonymous));
        Check(limits.Enrolment, nameof(limits.Enrolment));
        Check(limits.UnknownKeys, nameof(limits.UnknownKeys));
        Check(limits.UnknownIdentities, nameof(limits.UnknownIdentities));
        services.AddSingleton(limits);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context.User, context, limits));

            // Enrolment is anonymous, so its pace is per address; the operator's key enrols without limit.
            o.AddPolicy(EnrolmentPolicy, context => context.User.IsInRole(Roles.Operator)
                ? RateLimitPartition.GetNoLimiter("operator")
                : Bucket($"enrol:{context.Connection.RemoteIpAddress}", limits.Enrolment));
            o.OnRejected = async (rejected, _) =>
            {
                var http = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This caller is over its request rate limit. Retry after {seconds} s; the limits are set under '{RateLimitOptions.Section}'.");
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(ClaimsPrincipal user, HttpContext context, RateLimitOptions limits)
    {
        var role = user.FindFirstValue(ClaimTypes.Role);
        var subject = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (role is null || subject is null)
        {
            return Bucket($"ip:{context.Connection.RemoteIpAddress}", limits.Anonymous);
        }

        if (role == Roles.Operator)
        {
            return RateLimitPartition.GetNoLimiter("operator");
        }

        var store = user.FindFirstValue(Roles.StoreClaim);
        return Bucket($"{role}:{store}:{subject}", role == Roles.Gateway ? limits.Gateway : limits.Key);
    }

    internal static TokenBucketRateLimiterOptions BucketOptions(RateLimit limit) => new()
    {
        TokenLimit = limit.Burst,
        TokensPerPeriod = limit.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static RateLimitPartition<string> Bucket(string key, RateLimit limit) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => BucketOptions(limit));

    private static void Check(RateLimit limit, string name)
    {
        if (limit.PermitsPerSecond < 1 || limit.Burst < 1)
        {
            throw new InvalidOperationException($"{RateLimitOptions.Section}:{name} needs PermitsPerSecond and Burst of at least 1.");
        }
    }
}

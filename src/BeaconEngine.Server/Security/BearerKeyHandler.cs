using System.Security.Claims;
using System.Text.Encodings.Web;
using BeaconEngine.Contracts.Access;
using BeaconEngine.Server.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Server.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or <c>access_token</c> on the hub, where WebSockets
/// cannot send headers) against the admin key and the issued keys, which are looked up by their hash.
/// </summary>
public sealed class BearerKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKeyProvider adminKey,
    UnknownKeyGuard unknownKeys,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BeaconKey";

    // Set when an address is over its unknown-key lookups, so the challenge answers 429 rather than 401.
    private const string TooManyUnknownKeys = "beacon.tooManyUnknownKeys";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey();
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length > 256)
        {
            return AuthenticateResult.Fail("key too long");
        }

        if (adminKey.Matches(key))
        {
            return Success(new AccessPrincipal(AccessRole.Operator, "operator", null));
        }

        // Only well-formed keys are looked up, so random strings cost no storage read or grain activation.
        if (!AccessKeys.LooksIssued(key))
        {
            return AuthenticateResult.Fail("unknown key");
        }

        // Keys already found to be nobody's, and addresses that keep presenting such keys, cost no lookup.
        var hash = AccessKeys.Hash(key);
        if (unknownKeys.IsKnownUnknown(hash))
        {
            return AuthenticateResult.Fail("unknown key");
        }

        var address = Context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        if (!unknownKeys.TryStartLookup(address))
        {
            Context.Items[TooManyUnknownKeys] = true;
            return AuthenticateResult.Fail("too many unknown keys");
        }

        // The grain is keyed by the hash, so the lookup never needs the key itself stored.
        var principal = await grains.GetGrain<IAccessKeyGrain>(hash).Get();
        if (principal is null)
        {
            unknownKeys.NotFound(hash);
            return AuthenticateResult.Fail("unknown key");
        }

        unknownKeys.Found(address);
        return Success(principal);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(TooManyUnknownKeys))
        {
            Response.Headers.RetryAfter = "1";
            return Problems.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too many requests",
                "This address presented too many keys that were issued to nobody. Retry after 1 s with a valid key.");
        }

        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            "A valid key is required: send 'Authorization: Bearer <key>' (SignalR clients: accessTokenFactory).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden",
            $"This key's role ({Context.User.FindFirstValue(ClaimTypes.Role) ?? "none"}) may not use {Context.Request.Method} {Context.Request.Path}.");

    private string? ReadKey()
    {
        string? header = Request.Headers.Authorization;
        if (!string.IsNullOrEmpty(header))
        {
            return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header.Trim();
        }

        // WebSockets cannot send headers, and many vendor gateways cannot either: there the key may
        // come in the query string. Nowhere else, so keys stay out of ordinary URLs and logs.
        if ((Request.Path.StartsWithSegments("/hubs") || Request.Path.StartsWithSegments("/api/v1/sightings/minew")
                || Request.Path.StartsWithSegments("/api/v1/sightings/ingics"))
            && Request.Query.TryGetValue("access_token", out var token))
        {
            return token.ToString();
        }

        return null;
    }

    private static AuthenticateResult Success(AccessPrincipal principal)
    {
        var role = principal.Role switch
        {
            AccessRole.Operator => Roles.Operator,
            AccessRole.Gateway => Roles.Gateway,
            AccessRole.Brand => Roles.Brand,
            AccessRole.Shopper => Roles.Shopper,
            AccessRole.Till => Roles.Till,
            _ => throw new InvalidOperationException($"unknown role {principal.Role}"),
        };
        List<Claim> claims = [new(ClaimTypes.Role, role), new(ClaimTypes.NameIdentifier, principal.SubjectId)];
        if (principal.StoreId is not null)
        {
            claims.Add(new Claim(Roles.StoreClaim, principal.StoreId));
        }

        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

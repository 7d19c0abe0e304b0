using System.Security.Claims;

namespace BeaconEngine.Server.Security;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The gateway, brand or shopper id of the caller's key.</summary>
    public static string SubjectId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("caller has no subject");

    public static string StoreId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Roles.StoreClaim) ?? throw new InvalidOperationException("caller's key belongs to no store");

    /// <summary>Whether the caller may act in the store: the operator anywhere, a store's own key there only.</summary>
    public static bool MayActIn(this ClaimsPrincipal user, string storeId) =>
        user.IsInRole(Roles.Operator) || user.FindFirstValue(Roles.StoreClaim) == storeId;
}

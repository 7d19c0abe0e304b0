namespace BeaconEngine.Contracts.Access;

/// <summary>Who a key belongs to: a role, the id of the gateway, brand or shopper, and the store where it applies.</summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.AccessPrincipal")]
public sealed record AccessPrincipal(AccessRole Role, string SubjectId, string? StoreId);

using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Access;

/// <summary>
/// One issued key. Key: the hex SHA-256 of the key, so the key itself is never stored.
/// </summary>
[Alias("BeaconEngine.IAccessKeyGrain")]
public interface IAccessKeyGrain : IGrainWithStringKey
{
    [Alias("Issue")]
    Task Issue(AccessPrincipal principal);

    [ReadOnly, Alias("Get")]
    Task<AccessPrincipal?> Get();

    [Alias("Revoke")]
    Task Revoke();
}

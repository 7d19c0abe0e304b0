using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Shoppers;

/// <summary>
/// A store's shoppers with rotating identities and their rotation secrets, sealed by the server (a copy of the
/// database alone does not yield them). Every node builds its resolver tables from it. Key: store id.
/// </summary>
[Alias("BeaconEngine.IRotationRosterGrain")]
public interface IRotationRosterGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(string shopperId, byte[] sealedSecret);

    /// <summary>Removes the shopper's sealed secret (erasure).</summary>
    [Alias("Remove")]
    Task Remove(string shopperId);

    /// <summary>How many shoppers hold a rotation secret of the store.</summary>
    [ReadOnly, Alias("Count")]
    Task<int> Count();

    [ReadOnly, Alias("GetSealedSecret")]
    Task<byte[]?> GetSealedSecret(string shopperId);

    /// <summary>What changed after <paramref name="version"/>: the changes only when they are still known, else everything.</summary>
    [ReadOnly, Alias("GetSince")]
    Task<RosterChanges> GetSince(long version);
}

/// <summary>
/// Changes to a roster up to <paramref name="Version"/>. <paramref name="Complete"/>: <paramref name="Added"/> is the whole
/// roster (replace what you hold); otherwise apply <paramref name="Added"/> and <paramref name="Removed"/> to it.
/// </summary>
[Immutable, GenerateSerializer, Alias("BeaconEngine.RosterChanges")]
public sealed record RosterChanges(long Version, bool Complete, RosterEntry[] Added, string[] Removed);

[Immutable, GenerateSerializer, Alias("BeaconEngine.RosterEntry")]
public sealed record RosterEntry(string ShopperId, byte[] SealedSecret);

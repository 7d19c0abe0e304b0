using Orleans.Concurrency;

namespace BeaconEngine.Contracts.Coupons;

/// <summary>
/// The cluster's one key for sealing coupon codes (see <c>SealedCodeCipher</c>), kept in grain storage so every
/// node, silo or front-end, seals and opens codes alike. Key: 0. Each node asks once and keeps the answer.
/// </summary>
[Alias("BeaconEngine.ICouponCodeKeyGrain")]
public interface ICouponCodeKeyGrain : IGrainWithIntegerKey
{
    /// <summary>The key, or null while no code was ever sealed (opening a code then finds nothing and stores nothing).</summary>
    [ReadOnly, Alias("Get")]
    Task<byte[]?> Get();

    /// <summary>The key, made and stored first if there is none yet.</summary>
    [Alias("GetOrCreate")]
    Task<byte[]> GetOrCreate();
}

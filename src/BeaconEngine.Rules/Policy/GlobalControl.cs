using BeaconEngine.Rules.Learning;

namespace BeaconEngine.Rules.Policy;

/// <summary>
/// A store's global control group: a share of its shoppers, chosen by hashing the shopper's key, who never
/// get a coupon from any brand (Braze's "global control group"). Stable: the same shopper is in or out on
/// every visit and every node, and raising the share only adds shoppers to the group.
/// </summary>
public static class GlobalControl
{
    /// <summary>The largest share a store may hold out: beyond it the programme gives up too much.</summary>
    public const double MaxShare = 0.15;

    /// <summary>Salt so that the global group is independent of each offer's own control group.</summary>
    private const string Salt = "global-control";

    public static bool Contains(double share, string shopperKey) =>
        share > 0 && shopperKey.Length > 0 && Position(shopperKey) < share;

    /// <summary>The shopper's place in [0, 1): below the share means held out.</summary>
    public static double Position(string shopperKey) =>
        (SplitMix64.Hash(Salt, SplitMix64.Hash(shopperKey)) >> 11) * (1.0 / (1UL << 53));
}

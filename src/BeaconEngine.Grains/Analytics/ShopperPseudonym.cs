using System.Security.Cryptography;
using System.Text;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// What results and live views know a shopper by: a one-way hash of the id. After erasure nothing links
/// it back to a person, so an offer's aggregate results can stay while the shopper is gone.
/// </summary>
public static class ShopperPseudonym
{
    public static string Of(string shopperId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("beaconengine/shopper/" + shopperId)))[..32];
}

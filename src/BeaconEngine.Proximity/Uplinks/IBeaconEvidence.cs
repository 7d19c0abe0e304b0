using System.Diagnostics.CodeAnalysis;
using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Some formats report an iBeacon twice: decoded fields and the raw frame. When both are present they must agree;
/// a gateway that contradicts itself is buggy, and picking either side would be a guess about who was there.
/// </summary>
internal static class IBeaconEvidence
{
    public static bool TryCombine(
        BeaconIdentity? reported,
        int? reportedPower,
        IBeaconFrame? advertised,
        string advertisedField,
        out BeaconIdentity? identity,
        out int? txPower,
        [NotNullWhen(false)] out string? error)
    {
        identity = reported ?? advertised?.Identity;
        txPower = reportedPower ?? advertised?.MeasuredPower;
        if (reported is { } r && advertised is { } a && r != a.Identity)
        {
            error = $"the iBeacon fields ({r}) disagree with the frame in '{advertisedField}' ({a.Identity})";
            return false;
        }

        error = null;
        return true;
    }
}

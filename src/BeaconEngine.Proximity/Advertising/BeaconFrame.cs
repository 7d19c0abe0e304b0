namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// One recognised beacon frame in an advertisement. A closed union: the cases are the nested records
/// (<see cref="IBeacon"/>, <see cref="AltBeacon"/>, <see cref="EddystoneUid"/>, <see cref="EddystoneUrl"/>,
/// <see cref="EddystoneTlm"/>, <see cref="EddystoneEncryptedTlm"/>, <see cref="EddystoneEid"/>), so a
/// <c>switch</c> over them is exhaustive in practice and each case carries only the fields its format defines.
/// Records give value equality, which the ingestion side uses to drop repeated frames.
/// </summary>
public abstract partial record BeaconFrame
{
    /// <summary>Only the nested cases derive from this type.</summary>
    private BeaconFrame()
    {
    }

    /// <summary>Which case this is.</summary>
    public abstract BeaconFrameKind Kind { get; }
}

using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// What <see cref="AdvertisementParser.Parse"/> found in one advertisement: every recognised beacon frame in the
/// order sent, plus the generic AD types the ingestion side uses (flags, local name, TX power level), or the reason
/// the advertisement was rejected. A struct so that parsing costs only the frames themselves; <c>default</c> is a
/// valid, empty advertisement.
/// </summary>
public readonly struct ParsedAdvertisement
{
    private readonly ImmutableArray<BeaconFrame> _frames;

    internal ParsedAdvertisement(
        ImmutableArray<BeaconFrame> frames,
        AdvertisingFlags? flags,
        string? localName,
        bool isLocalNameComplete,
        sbyte? txPowerLevel,
        bool listsEddystoneService)
    {
        _frames = frames;
        Flags = flags;
        LocalName = localName;
        IsLocalNameComplete = isLocalNameComplete;
        TxPowerLevel = txPowerLevel;
        ListsEddystoneService = listsEddystoneService;
    }

    private ParsedAdvertisement(string error)
    {
        Error = error;
    }

    /// <summary>Null when the advertisement was read; otherwise a human-readable reason, and nothing else is set.</summary>
    public string? Error { get; }

    /// <summary>True when the advertisement was read (it may still contain no beacon frame).</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Error is null;

    /// <summary>Recognised frames in the order of their AD structures; empty when there are none or on error.</summary>
    public ImmutableArray<BeaconFrame> Frames => _frames.IsDefault ? [] : _frames;

    /// <summary>The Flags AD type, or null when absent.</summary>
    public AdvertisingFlags? Flags { get; }

    /// <summary>The device name (0x09 complete, else 0x08 shortened), decoded as UTF-8; null when absent.</summary>
    public string? LocalName { get; }

    /// <summary>False when <see cref="LocalName"/> came from the shortened-name type, so it may be a prefix.</summary>
    public bool IsLocalNameComplete { get; }

    /// <summary>The TX Power Level AD type in dBm (the radio's output, not a calibrated RSSI); null when absent.</summary>
    public sbyte? TxPowerLevel { get; }

    /// <summary>
    /// True when a 16-bit service UUID list (0x03 complete, or 0x02 incomplete) names 0xFEAA. The Eddystone spec
    /// requires the complete list alongside every frame; the parser does not enforce it, because scanners that split
    /// advertising and scan-response data often deliver the service data without it. Callers that want the strict
    /// reading can check this.
    /// </summary>
    public bool ListsEddystoneService { get; }

    internal static ParsedAdvertisement Malformed(string error) => new(error);
}

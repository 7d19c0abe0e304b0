namespace BeaconEngine.Proximity.Advertising;

/// <summary>
/// Walks the AD structures of an advertisement (Core Specification Vol 3, Part C, 11): a sequence of
/// <c>[length][type][data: length-1 bytes]</c>. A ref struct over the caller's span so that walking costs no
/// allocation; both <see cref="AdvertisementParser.Parse"/> and the allocation-free
/// <see cref="AdvertisementParser.TryReadIBeacon"/> are built on it, so they agree on what a broken layout is.
/// </summary>
internal ref struct AdStructureReader
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _next;

    public AdStructureReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _next = 0;
        Offset = -1;
        Type = 0;
        Data = default;
        Error = null;
    }

    /// <summary>Byte offset of the current structure's length byte, for error messages.</summary>
    public int Offset { get; private set; }

    /// <summary>The current structure's AD type.</summary>
    public byte Type { get; private set; }

    /// <summary>The current structure's data, without the length and type bytes.</summary>
    public ReadOnlySpan<byte> Data { get; private set; }

    /// <summary>Set when <see cref="MoveNext"/> stopped because a length byte points past the end of the payload.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Advances to the next structure. Returns false at the end of the payload, at a zero length byte (which the
    /// Core Specification uses to end significant data early; what follows is padding), or on a broken length,
    /// in which case <see cref="Error"/> says why.
    /// </summary>
    public bool MoveNext()
    {
        if (Error is not null || _next >= _payload.Length)
        {
            return false;
        }

        var offset = _next;
        var length = _payload[offset];
        if (length == 0)
        {
            _next = _payload.Length;
            return false;
        }

        var remaining = _payload.Length - offset - 1;
        if (length > remaining)
        {
            Error = $"AD structure at byte {offset} declares {length} bytes but only {remaining} remain";
            return false;
        }

        Offset = offset;
        Type = _payload[offset + 1];
        Data = _payload.Slice(offset + 2, length - 1);
        _next = offset + 1 + length;
        return true;
    }
}

namespace BeaconEngine.Grains.Offers;

/// <summary>
/// A bit per coupon ordinal: whether a kind of feedback on that coupon is counted. Ordinal 0 (coupons issued
/// before ordinals) is never marked, so such feedback counts as it always did.
/// </summary>
internal static class CountedCoupons
{
    public static bool Has(byte[] bits, long ordinal) =>
        ordinal > 0 && (ordinal - 1) / 8 < bits.Length && (bits[(ordinal - 1) / 8] & (1 << (int)((ordinal - 1) % 8))) != 0;

    /// <summary>Marks <paramref name="ordinal"/>; false if it was marked already. <paramref name="marked"/> may be a grown copy.</summary>
    public static bool TryMark(byte[] bits, long ordinal, out byte[] marked)
    {
        marked = bits;
        if (ordinal <= 0)
        {
            return true;
        }

        if (Has(bits, ordinal))
        {
            return false;
        }

        var index = (int)((ordinal - 1) / 8);
        if (index >= bits.Length)
        {
            // Grown in steps of 1 KB (8,192 coupons), so a busy offer does not copy on every coupon.
            marked = new byte[(index / 1024 + 1) * 1024];
            bits.CopyTo(marked, 0);
        }

        marked[index] |= (byte)(1 << (int)((ordinal - 1) % 8));
        return true;
    }

    public static byte[] Unmark(byte[] bits, long ordinal)
    {
        if (ordinal > 0 && (ordinal - 1) / 8 < bits.Length)
        {
            bits[(ordinal - 1) / 8] &= (byte)~(1 << (int)((ordinal - 1) % 8));
        }

        return bits;
    }

    /// <summary>The ordinals marked in both.</summary>
    public static byte[] Both(byte[] a, byte[] b)
    {
        var both = new byte[Math.Min(a.Length, b.Length)];
        for (var i = 0; i < both.Length; i++)
        {
            both[i] = (byte)(a[i] & b[i]);
        }

        return both;
    }

    /// <summary>The ordinals marked in either.</summary>
    public static byte[] Either(byte[] a, byte[] b)
    {
        var either = new byte[Math.Max(a.Length, b.Length)];
        a.CopyTo(either, 0);
        for (var i = 0; i < b.Length; i++)
        {
            either[i] |= b[i];
        }

        return either;
    }
}

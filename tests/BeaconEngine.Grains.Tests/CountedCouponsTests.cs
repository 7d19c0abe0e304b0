using BeaconEngine.Grains.Offers;

namespace BeaconEngine.Grains.Tests;

/// <summary>The offer's record of which coupons' feedback it counted: once per coupon, and nothing for coupons without an ordinal.</summary>
public sealed class CountedCouponsTests
{
    [Fact]
    public void A_coupon_is_marked_once_and_a_failed_write_can_take_the_mark_back()
    {
        byte[] bits = [];
        Assert.True(CountedCoupons.TryMark(bits, 3, out bits));
        Assert.True(CountedCoupons.Has(bits, 3));
        Assert.False(CountedCoupons.Has(bits, 2));
        Assert.False(CountedCoupons.TryMark(bits, 3, out _));

        bits = CountedCoupons.Unmark(bits, 3);
        Assert.False(CountedCoupons.Has(bits, 3));
        Assert.True(CountedCoupons.TryMark(bits, 3, out _));
    }

    [Fact]
    public void The_record_grows_in_kilobyte_steps_and_keeps_what_it_held()
    {
        Assert.True(CountedCoupons.TryMark([], 1, out var bits));
        Assert.Equal(1024, bits.Length);
        Assert.True(CountedCoupons.TryMark(bits, 8_193, out var grown));
        Assert.Equal(2048, grown.Length);
        Assert.True(CountedCoupons.Has(grown, 1));
        Assert.True(CountedCoupons.Has(grown, 8_193));
        Assert.False(CountedCoupons.Has(grown, 8_192));
    }

    [Fact]
    public void Coupons_from_before_ordinals_always_count()
    {
        Assert.True(CountedCoupons.TryMark([], 0, out var bits));
        Assert.Empty(bits);
        Assert.True(CountedCoupons.TryMark(bits, 0, out _));
        Assert.False(CountedCoupons.Has(bits, 0));
    }
}

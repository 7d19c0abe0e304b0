using BeaconEngine.Server.Api;

namespace BeaconEngine.Server.Tests;

/// <summary>What a brand is shown of counts that cover few shoppers, including wholes that would give a hidden part away.</summary>
public sealed class SmallCountsTests
{
    [Fact]
    public void A_whole_is_hidden_from_a_brand_when_one_of_its_parts_is_hidden_and_the_other_shown()
    {
        // 12 triggered = 9 issued + 3 held out: shown 12 and 9, the 3 would be a subtraction away.
        var brand = new SmallCounts(brand: true);
        var heldOut = brand.Count(3, "heldOut");
        var issued = brand.Count(9, "issued");
        var triggered = brand.Whole(12, "triggered", (heldOut is null) != (issued is null));

        Assert.Equal((null, 9L, null), (heldOut, issued, triggered));
        Assert.Equal(["heldOut", "triggered"], brand.Names);
    }

    [Fact]
    public void A_whole_whose_parts_are_both_shown_or_both_hidden_follows_its_own_size_and_the_operator_sees_all()
    {
        var brand = new SmallCounts(brand: true);
        Assert.Equal(15L, brand.Whole(15, "triggered", givesAPartAway: false));
        Assert.Null(brand.Whole(4, "triggered", givesAPartAway: false));
        Assert.Equal(0L, brand.Whole(0, "triggered", givesAPartAway: true));
        Assert.Equal(0L, brand.Count(0, "heldOut"));

        // An offer-wide total stays exact however small, unless it gives a hidden part away.
        Assert.Equal(1L, brand.Whole(1, "triggered", givesAPartAway: false, total: true));
        Assert.Null(brand.Whole(7, "triggered", givesAPartAway: true, total: true));

        var operatorView = new SmallCounts(brand: false);
        Assert.Equal((3L, 12L), (operatorView.Count(3, "heldOut"), operatorView.Whole(12, "triggered", givesAPartAway: true)));
        Assert.Empty(operatorView.Names);
    }
}

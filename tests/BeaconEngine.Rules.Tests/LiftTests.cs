using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Rules.Tests;

/// <summary>The intervals against the worked examples of Newcombe's two 1998 papers (Statistics in Medicine 17: 857-872 and 873-890).</summary>
public sealed class LiftTests
{
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_interval_matches_the_published_examples(long x, long n, double low, double high)
    {
        var p = Proportion.Of(x, n);
        Assert.Equal(low, p.Low, 4);
        Assert.Equal(high, p.High, 4);
    }

    [Theory]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(10, 10, 0, 10, 0.6075, 1.0000)]
    public void Newcombe_interval_for_a_difference_matches_the_published_examples(long x1, long n1, long x2, long n2, double low, double high)
    {
        var lift = Lift.Of(x1, n1, x2, n2);
        Assert.Equal(low, lift.Low, 4);
        Assert.Equal(high, lift.High, 4);
    }

    [Fact]
    public void Small_or_empty_groups_say_the_figure_means_nothing_yet()
    {
        var none = Lift.Of(3, 5, 0, 0);
        Assert.Equal((-1.0, 1.0), (none.Low, none.High));
        Assert.False(none.Significant);
        Assert.False(none.EnoughData);
        Assert.Null(none.Relative);

        var small = Lift.Of(9, 10, 3, 10);
        Assert.True(small.Significant);
        Assert.False(small.EnoughData);
        Assert.Equal(2.0, small.Relative!.Value, 10);

        Assert.True(Lift.Of(60, 100, 30, 100).EnoughData);
    }
}

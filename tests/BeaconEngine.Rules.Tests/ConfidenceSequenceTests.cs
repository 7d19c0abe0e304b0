using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Rules.Tests;

/// <summary>The anytime-valid boundary against exact computations: Lambert's W, the mixture it inverts, the ρ² it is tuned by.</summary>
public sealed class ConfidenceSequenceTests
{
    [Theory]
    [InlineData(-0.1, -3.577152063957297)]
    [InlineData(-0.2, -2.542641357773527)]
    [InlineData(-0.3678794411714423, -1.0)]
    public void Lambert_W_lower_branch_matches_published_values(double x, double w)
    {
        Assert.Equal(w, ConfidenceSequence.LambertWMinus1(x), 6);
    }

    [Fact]
    public void Lambert_W_solves_its_equation_where_the_sequence_uses_it()
    {
        const double A2 = ConfidenceSequence.Alpha * ConfidenceSequence.Alpha;
        var x = -A2 * Math.Exp(A2 - 1);
        var w = ConfidenceSequence.LambertWMinus1(x);
        Assert.True(w < -1);
        Assert.Equal(x, w * Math.Exp(w), 15);
    }

    /// <summary>
    /// The boundary is where Robbins' normal mixture martingale, (tρ² + 1)^(−½) · exp(ρ²S²/(2(tρ² + 1))) for a
    /// unit-variance sum S after t steps, reaches 1/α; Ville's inequality then bounds the chance it is ever crossed by α.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(1000)]
    [InlineData(123456)]
    public void The_boundary_is_where_the_mixture_martingale_reaches_one_over_alpha(double t)
    {
        var rho2 = ConfidenceSequence.Rho2;
        var s = ConfidenceSequence.Multiplier(t, rho2) * Math.Sqrt(t);
        var martingale = Math.Exp(rho2 * s * s / (2 * ((t * rho2) + 1))) / Math.Sqrt((t * rho2) + 1);
        Assert.Equal(1 / ConfidenceSequence.Alpha, martingale, 9);
    }

    [Fact]
    public void Rho_squared_makes_the_sequence_tightest_where_it_was_tuned()
    {
        var rho2 = ConfidenceSequence.Rho2;
        var at = ConfidenceSequence.Multiplier(ConfidenceSequence.TightestAt, rho2);
        foreach (var factor in new[] { 0.5, 0.8, 0.95, 1.05, 1.25, 2 })
        {
            Assert.True(at < ConfidenceSequence.Multiplier(ConfidenceSequence.TightestAt, rho2 * factor), $"ρ² × {factor} gave a tighter boundary");
        }

        // Wider than the fixed interval's 1.96 everywhere: the price of being right at every look.
        foreach (var t in new[] { 10.0, 100, 1000, 10_000, 1_000_000 })
        {
            Assert.True(ConfidenceSequence.Multiplier(t, rho2) > Proportion.Z95);
        }
    }

    [Fact]
    public void Lift_carries_the_anytime_interval_around_the_same_difference()
    {
        var lift = Lift.Of(60, 100, 30, 100);
        Assert.True(lift.AnytimeLow < lift.Low && lift.AnytimeHigh > lift.High);
        Assert.True(lift.Significant);
        Assert.True(lift.SignificantAnytime);

        // Newcombe's 9 of 10 against 3 of 10: the fixed interval leaves out zero, the anytime one does not yet.
        var small = Lift.Of(9, 10, 3, 10);
        Assert.True(small.Significant);
        Assert.False(small.SignificantAnytime);

        // All against none in tiny groups: still a spread, never a certain effect.
        var extreme = Lift.Of(3, 3, 0, 3);
        Assert.False(extreme.SignificantAnytime);
        Assert.Equal((-1.0, 1.0), (Lift.Of(1, 2, 0, 0).AnytimeLow, Lift.Of(1, 2, 0, 0).AnytimeHigh));
    }
}

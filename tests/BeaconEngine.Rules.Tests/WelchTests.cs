using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Rules.Tests;

/// <summary>Welch's interval and the t quantiles under it, against published tables and R's worked output.</summary>
public sealed class WelchTests
{
    [Theory]
    [InlineData(1, 12.706204736)]
    [InlineData(2, 4.302652730)]
    [InlineData(10, 2.228138852)]
    [InlineData(30, 2.042272456)]
    [InlineData(1000, 1.962339081)]
    public void T_quantiles_match_the_table(double df, double t975)
    {
        Assert.Equal(t975, StudentT.Quantile(0.975, df), 6);
        Assert.Equal(-t975, StudentT.Quantile(0.025, df), 6);
    }

    [Fact]
    public void Log_gamma_matches_exact_values()
    {
        Assert.Equal(Math.Log(24), StudentT.LogGamma(5), 12);
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI)), StudentT.LogGamma(0.5), 12);
    }

    /// <summary>R's <c>t.test(ts1, ts2)</c> (Welch by default): t = −1.8325, df = 17.9, 95 % interval −2.1469104 to 0.1469104.</summary>
    [Fact]
    public void Welch_interval_matches_R_t_test()
    {
        var ts1 = SpendSample.Of([11, 9, 10, 11, 10, 12, 9, 11, 12, 9]);
        var ts2 = SpendSample.Of([11, 13, 10, 13, 12, 9, 11, 12, 12, 11]);
        var d = MeanDifference.Of(ts1, ts2);
        Assert.Equal(-1.0, d.Difference, 12);
        Assert.Equal(-1.8325, d.Difference / d.StandardError, 4);
        Assert.Equal(17.9, d.DegreesOfFreedom, 1);
        Assert.Equal(-2.1469104, d.Low, 6);
        Assert.Equal(0.1469104, d.High, 6);
        Assert.True(d.AnytimeLow < d.Low && d.AnytimeHigh > d.High);
        Assert.False(d.SignificantAnytime);
    }

    [Fact]
    public void Groups_too_small_for_a_variance_give_no_interval()
    {
        var d = MeanDifference.Of(SpendSample.Of([5]), SpendSample.Of([1, 2]));
        Assert.False(d.Known);
        Assert.Equal(double.NegativeInfinity, d.Low);
        Assert.Equal(3.5, d.Difference, 12);
    }
}

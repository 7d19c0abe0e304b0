using BeaconEngine.Rules.Analytics;
using Xunit.Abstractions;

namespace BeaconEngine.Rules.Tests;

/// <summary>
/// A/A experiments: treated and control behave the same, so any "significant" verdict is a false positive.
/// The figures are read after every 50 shoppers, as a brand watching the console would, and an experiment
/// counts as a false positive if any look says the interval leaves out zero.
/// </summary>
public sealed class PeekingSimulationTests(ITestOutputHelper output)
{
    private const int Experiments = 1000;
    private const int LookEvery = 50;
    private const int Shoppers = 2000;

    [Theory]
    [InlineData(0.1, 0.2)]
    [InlineData(0.5, 0.2)]
    [InlineData(0.1, 0.03)]
    public void Buyer_rate_anytime_verdict_keeps_false_positives_under_five_percent(double controlShare, double buyRate)
    {
        var random = new Random(20);
        int anytime = 0, fixedHorizon = 0;
        for (var e = 0; e < Experiments; e++)
        {
            long treated = 0, treatedBuyers = 0, control = 0, controlBuyers = 0;
            bool anytimeFired = false, fixedFired = false;
            for (var shopper = 1; shopper <= Shoppers; shopper++)
            {
                var bought = random.NextDouble() < buyRate ? 1 : 0;
                if (random.NextDouble() < controlShare)
                {
                    control++;
                    controlBuyers += bought;
                }
                else
                {
                    treated++;
                    treatedBuyers += bought;
                }

                if (shopper % LookEvery == 0)
                {
                    var lift = Lift.Of(treatedBuyers, treated, controlBuyers, control);
                    anytimeFired |= lift.SignificantAnytime;
                    fixedFired |= lift.Significant;
                }
            }

            anytime += anytimeFired ? 1 : 0;
            fixedHorizon += fixedFired ? 1 : 0;
        }

        Report("buyer rate", controlShare, buyRate, anytime, fixedHorizon);
        Assert.True(anytime <= Experiments * 0.05, $"anytime false positives {anytime} of {Experiments}");
        Assert.True(fixedHorizon > anytime, "peeking at the fixed interval should fool it more often");
    }

    /// <summary>Spend per shopper: most buy nothing, buyers' baskets are skewed (exponential, mean 20).</summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Spend_anytime_verdict_keeps_false_positives_under_five_percent(double controlShare)
    {
        var random = new Random(21);
        int anytime = 0, fixedHorizon = 0;
        for (var e = 0; e < Experiments; e++)
        {
            SpendSample treated = default, control = default;
            bool anytimeFired = false, fixedFired = false;
            for (var shopper = 1; shopper <= Shoppers; shopper++)
            {
                var spend = random.NextDouble() < 0.3 ? -20 * Math.Log(1 - random.NextDouble()) : 0;
                ref var group = ref random.NextDouble() < controlShare ? ref control : ref treated;
                group = new SpendSample(group.Shoppers + 1, group.Sum + spend, group.SumOfSquares + (spend * spend));
                if (shopper % LookEvery == 0)
                {
                    var d = MeanDifference.Of(treated, control);
                    anytimeFired |= d.SignificantAnytime;
                    fixedFired |= d.Known && (d.Low > 0 || d.High < 0);
                }
            }

            anytime += anytimeFired ? 1 : 0;
            fixedHorizon += fixedFired ? 1 : 0;
        }

        Report("spend", controlShare, 0.3, anytime, fixedHorizon);
        Assert.True(anytime <= Experiments * 0.05, $"anytime false positives {anytime} of {Experiments}");
        Assert.True(fixedHorizon > anytime, "peeking at the fixed interval should fool it more often");
    }

    /// <summary>The price of anytime validity is width, not blindness: a real effect is still found within the same 2,000 shoppers.</summary>
    [Fact]
    public void A_real_effect_is_still_found()
    {
        var random = new Random(22);
        int buyersFound = 0, spendFound = 0;
        const int Runs = 200;
        for (var e = 0; e < Runs; e++)
        {
            long treated = 0, treatedBuyers = 0, control = 0, controlBuyers = 0;
            SpendSample treatedSpend = default, controlSpend = default;
            for (var shopper = 1; shopper <= Shoppers; shopper++)
            {
                var inControl = random.NextDouble() < 0.5;
                var bought = random.NextDouble() < (inControl ? 0.2 : 0.3);
                var spend = bought ? -20 * Math.Log(1 - random.NextDouble()) : 0;
                if (inControl)
                {
                    (control, controlBuyers) = (control + 1, controlBuyers + (bought ? 1 : 0));
                    controlSpend = new SpendSample(controlSpend.Shoppers + 1, controlSpend.Sum + spend, controlSpend.SumOfSquares + (spend * spend));
                }
                else
                {
                    (treated, treatedBuyers) = (treated + 1, treatedBuyers + (bought ? 1 : 0));
                    treatedSpend = new SpendSample(treatedSpend.Shoppers + 1, treatedSpend.Sum + spend, treatedSpend.SumOfSquares + (spend * spend));
                }
            }

            buyersFound += Lift.Of(treatedBuyers, treated, controlBuyers, control).AnytimeLow > 0 ? 1 : 0;
            spendFound += MeanDifference.Of(treatedSpend, controlSpend).AnytimeLow > 0 ? 1 : 0;
        }

        output.WriteLine($"Real effect (buy rate 0.2 → 0.3, spend 4 → 6 per shopper), 2000 shoppers half held out: anytime finds it in {buyersFound} / {Runs} (buyers), {spendFound} / {Runs} (spend)");
        Assert.True(buyersFound >= Runs * 0.8, $"buyer-rate effect found in {buyersFound} of {Runs}");
        Assert.True(spendFound >= Runs * 0.5, $"spend effect found in {spendFound} of {Runs}");
    }

    private void Report(string metric, double controlShare, double rate, int anytime, int fixedHorizon) =>
        output.WriteLine(
            $"A/A {metric}, control share {controlShare:0.##}, rate {rate:0.##}: {Experiments} experiments of {Shoppers} shoppers, a look every {LookEvery}: " +
            $"anytime false positives {anytime} ({anytime * 100.0 / Experiments:0.0} %), fixed interval {fixedHorizon} ({fixedHorizon * 100.0 / Experiments:0.0} %)");
}

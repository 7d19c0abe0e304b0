using BeaconEngine.Rules.Analytics;

namespace BeaconEngine.Rules.Tests;

/// <summary>The dwell sketch: every time read back within 2 %, quantiles by the nearest rank, and a bounded number of buckets.</summary>
public sealed class DwellSketchTests
{
    [Fact]
    public void Every_time_from_a_second_to_a_day_reads_back_within_two_percent()
    {
        for (var seconds = 1.0; seconds <= DwellSketch.LongestSeconds; seconds *= 1.003)
        {
            var read = DwellSketch.ValueOf(DwellSketch.BucketOf(seconds));
            Assert.InRange(Math.Abs(read - seconds) / seconds, 0, DwellSketch.RelativeAccuracy + 1e-12);
        }

        Assert.Equal(0, DwellSketch.ValueOf(DwellSketch.BucketOf(0.4)));
        Assert.InRange(DwellSketch.BucketOf(DwellSketch.LongestSeconds * 10), 280, 300);
    }

    [Fact]
    public void Quantiles_are_the_nearest_rank_of_the_stays()
    {
        var histogram = new Dictionary<int, long>();
        Assert.Null(DwellSketch.Quantile(histogram, 0.5));

        // 1 to 100 seconds: the median is the 50th (50 s), the 90th percentile the 90th (90 s).
        for (var s = 1; s <= 100; s++)
        {
            DwellSketch.Add(histogram, s);
        }

        Assert.InRange(DwellSketch.Quantile(histogram, 0.5)!.Value, 50 * 0.98, 50 * 1.02);
        Assert.InRange(DwellSketch.Quantile(histogram, 0.9)!.Value, 90 * 0.98, 90 * 1.02);
        Assert.InRange(DwellSketch.Quantile(histogram, 0)!.Value, 0.98, 1.02);
        Assert.True(histogram.Count < 100);
    }
}

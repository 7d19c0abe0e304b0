using System.Reflection;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Tests;

/// <summary>The per-gateway ring: small for a slow phone, never losing a reading a window still needs.</summary>
public sealed class GatewayTrackTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1.0, 16)]
    [InlineData(5.0, 64)]
    [InlineData(20.0, 64)]
    public void The_level_is_the_window_percentile_of_every_reading_in_the_window_however_fast_the_phone(double hz, int largestRing)
    {
        var options = new ZoneResolverOptions { Filter = RssiFilterKind.WindowMedian };
        var track = new GatewayTrack("gw", "zone");
        var random = new Random(11);
        var readings = new List<(DateTimeOffset At, double Rssi)>();
        for (var i = 0; i < 600; i++)
        {
            var at = T0.AddSeconds(i / hz);
            var rssi = -65 + Math.Round((random.NextDouble() * 12) - 6);
            Assert.True(track.Add(rssi, at, options) || rssi > -65 + options.SpikeDb);
            readings.Add((at, rssi));

            // The reference: the same percentile over every reading kept since the start.
            var window = readings.Where(r => r.At > at - options.Window && r.At <= at).Select(r => r.Rssi).Order().ToArray();
            if (window.Length < options.WindowMinReadings)
            {
                window = [.. readings.Where(r => r.At > at - options.GatewayStaleAfter && r.At <= at).Select(r => r.Rssi).Order()];
            }

            var expected = window[(int)Math.Round(options.WindowPercentile * (window.Length - 1), MidpointRounding.AwayFromZero)];
            Assert.Equal(expected, track.Level);
        }

        Assert.Equal(largestRing, RingLength(track));
    }

    [Fact]
    public void Confirmation_counts_every_strong_reading_of_the_enter_window_after_the_ring_has_grown()
    {
        var options = new ZoneResolverOptions();
        var track = new GatewayTrack("gw", "zone");
        for (var i = 0; i < 40; i++)
        {
            track.Add(-80, T0.AddSeconds(i * 0.25), options);
        }

        Assert.False(track.IsConfirmed(T0.AddSeconds(10), options));
        track.Add(-60, T0.AddSeconds(10), options);
        track.Add(-60, T0.AddSeconds(10.5), options);
        Assert.False(track.IsConfirmed(T0.AddSeconds(10.5), options));
        track.Add(-60, T0.AddSeconds(11), options);
        Assert.True(track.IsConfirmed(T0.AddSeconds(11), options));
    }

    private static int RingLength(GatewayTrack track) =>
        ((long[])typeof(GatewayTrack).GetField("_ticks", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(track)!).Length;
}

using BeaconEngine.Server.Ingestion;

namespace BeaconEngine.Server.Tests;

/// <summary>The identity cache's bound: never more than its capacity, never empty at once, and what is in use survives.</summary>
public sealed class GenerationalCacheTests
{
    [Fact]
    public void It_never_holds_more_than_its_capacity_and_after_a_turn_still_answers_for_the_newest_half()
    {
        var cache = new GenerationalCache<string, int>(capacity: 100);

        for (var i = 0; i < 1_000; i++)
        {
            cache.Set($"id-{i}", i);
            Assert.InRange(cache.Count, Math.Min(i + 1, 50), 100);
        }

        // The last 50 written are all there, whatever the moment of the last turn.
        for (var i = 950; i < 1_000; i++)
        {
            Assert.True(cache.TryGet($"id-{i}", out var value));
            Assert.Equal(i, value);
        }

        Assert.False(cache.TryGet("id-0", out _));
    }

    [Fact]
    public void An_entry_in_use_survives_any_number_of_turns()
    {
        var cache = new GenerationalCache<string, int>(capacity: 10);
        cache.Set("busy", 42);

        for (var i = 0; i < 100; i++)
        {
            cache.Set($"id-{i}", i);
            Assert.True(cache.TryGet("busy", out var value));
            Assert.Equal(42, value);
        }
    }

    [Fact]
    public void A_forgotten_entry_is_gone_from_both_generations()
    {
        var cache = new GenerationalCache<string, int>(capacity: 4);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("c", 3);

        cache.Remove("a");

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));
    }
}

using System.Diagnostics.Metrics;
using BeaconEngine.Server.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BeaconEngine.Server.Tests;

/// <summary>The node's bound of sightings in flight: what it admits, what it refuses, and how the bound follows the node's pace.</summary>
public sealed class IngestionGateTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void A_batch_is_admitted_while_the_bound_holds_refused_past_it_and_always_admitted_alone()
    {
        var gate = new IngestionGate(ceiling: 100, Meters, new FakeTimeProvider());
        Assert.Equal(100, gate.Limit);

        Assert.True(gate.TryEnter(60));
        Assert.False(gate.TryEnter(50));
        Assert.True(gate.TryEnter(40));
        Assert.False(gate.TryEnter(1));
        Assert.Equal(100, gate.InFlight);

        gate.Exit(60);
        Assert.True(gate.TryEnter(50));
        gate.Exit(50);
        gate.Exit(40);
        Assert.Equal(0, gate.InFlight);

        // Nothing else in flight: a batch larger than the bound still goes through, and holds the door while it runs.
        Assert.True(gate.TryEnter(500));
        Assert.False(gate.TryEnter(1));
        gate.Exit(500);
        Assert.True(gate.TryEnter(0));
    }

    [Fact]
    public void The_bound_is_two_seconds_of_the_last_seconds_pace_within_the_floor_and_the_ceiling()
    {
        var clock = new FakeTimeProvider();
        var gate = new IngestionGate(ceiling: 50_000, Meters, clock);
        Assert.Equal(IngestionGate.Floor, gate.Limit);

        Finish(gate, 20_000);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(40_000, gate.Limit);

        // Within the second the bound holds; the pace is read once a second.
        Finish(gate, 40_000);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(40_000, gate.Limit);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(50_000, gate.Limit);

        // A node that slows down (shoppers activating, a slow disk) admits only what it can finish in about two seconds.
        Finish(gate, 2_000);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(IngestionGate.Floor, gate.Limit);
        Finish(gate, 6_000);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(12_000, gate.Limit);
    }

    [Fact]
    public async Task A_gateway_that_cannot_be_refused_waits_for_room()
    {
        var gate = new IngestionGate(ceiling: 10, Meters, new FakeTimeProvider());
        Assert.True(gate.TryEnter(10));
        var waiting = gate.EnterAsync(5).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        gate.Exit(10);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, gate.InFlight);
    }

    public void Dispose() => _services.Dispose();

    private static void Finish(IngestionGate gate, int sightings)
    {
        Assert.True(gate.TryEnter(sightings));
        gate.Exit(sightings);
    }
}

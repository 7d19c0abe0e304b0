using System.Text;
using BeaconEngine.Gateway.Queue;

namespace BeaconEngine.Gateway.Tests;

/// <summary>The store-and-forward queue on a real folder: order, bounds with a counted drop, and an agent restart.</summary>
public sealed class DiskQueueTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "beaconengine-gateway-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Batches_come_out_in_order_and_leave_only_when_removed()
    {
        using var queue = new DiskQueue(_folder, maxBatches: 10, maxBytes: 1 << 20);
        queue.Enqueue("a", 2, Body("a"));
        queue.Enqueue("b", 3, Body("b"));

        var first = queue.TryPeek()!;
        Assert.Equal(("a", 2, "a"), (first.BatchId, first.Count, Encoding.UTF8.GetString(first.Body)));
        Assert.Equal("a", queue.TryPeek()!.BatchId);
        queue.Remove(first);
        Assert.Equal("b", queue.TryPeek()!.BatchId);
        Assert.Equal(1, queue.Depth);
    }

    [Fact]
    public void Past_its_batch_bound_the_oldest_batch_is_dropped_and_its_sightings_counted_and_that_survives_a_restart()
    {
        using (var queue = new DiskQueue(_folder, maxBatches: 3, maxBytes: 1 << 20))
        {
            for (var i = 1; i <= 5; i++)
            {
                queue.Enqueue($"batch-{i}", count: i * 10, Body($"batch-{i}"));
            }

            Assert.Equal(3, queue.Depth);
            Assert.Equal(10 + 20, queue.DroppedSightings);
            Assert.Equal(2, queue.DroppedBatches);
            Assert.Equal("batch-3", queue.TryPeek()!.BatchId);
        }

        // The agent restarts: the same batches, in the same order, with the same ids, and the drop count kept.
        using (var queue = new DiskQueue(_folder, maxBatches: 3, maxBytes: 1 << 20))
        {
            Assert.Equal(3, queue.Depth);
            Assert.Equal(30, queue.DroppedSightings);
            Assert.Equal(2, queue.DroppedBatches);
            var ids = new List<string>();
            while (queue.TryPeek() is { } batch)
            {
                Assert.Equal(batch.BatchId, Encoding.UTF8.GetString(batch.Body));
                ids.Add(batch.BatchId);
                queue.Remove(batch);
            }

            Assert.Equal(["batch-3", "batch-4", "batch-5"], ids);

            // New batches follow the old ones rather than reuse their places.
            queue.Enqueue("batch-6", 1, Body("batch-6"));
            Assert.Equal("batch-6", queue.TryPeek()!.BatchId);
        }
    }

    [Fact]
    public void Past_its_byte_bound_the_oldest_batches_are_dropped_but_the_newest_always_stays()
    {
        using var queue = new DiskQueue(_folder, maxBatches: 100, maxBytes: 250);
        queue.Enqueue("one", 1, new byte[100]);
        queue.Enqueue("two", 2, new byte[100]);
        queue.Enqueue("three", 4, new byte[100]);

        Assert.Equal(2, queue.Depth);
        Assert.Equal(200, queue.Bytes);
        Assert.Equal(1, queue.DroppedSightings);

        // A batch larger than the whole bound still waits alone rather than vanish on arrival.
        queue.Enqueue("huge", 8, new byte[1000]);
        Assert.Equal(1, queue.Depth);
        Assert.Equal("huge", queue.TryPeek()!.BatchId);
        Assert.Equal(1 + 2 + 4, queue.DroppedSightings);
    }

    [Fact]
    public void A_half_written_batch_left_by_a_crash_is_discarded_at_start()
    {
        using (var queue = new DiskQueue(_folder, maxBatches: 10, maxBytes: 1 << 20))
        {
            queue.Enqueue("whole", 1, Body("whole"));
        }

        File.WriteAllText(Path.Combine(_folder, "0000000000000009_5_torn.batch.tmp"), "{\"half");

        using var reopened = new DiskQueue(_folder, maxBatches: 10, maxBytes: 1 << 20);
        Assert.Equal(1, reopened.Depth);
        Assert.Equal("whole", reopened.TryPeek()!.BatchId);
        Assert.Empty(Directory.EnumerateFiles(_folder, "*.tmp"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static byte[] Body(string text) => Encoding.UTF8.GetBytes(text);
}

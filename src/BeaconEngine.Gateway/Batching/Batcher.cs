using System.Threading.Channels;
using BeaconEngine.Gateway.Queue;
using BeaconEngine.Gateway.Sources;

namespace BeaconEngine.Gateway.Batching;

/// <summary>
/// Groups sightings into batches, closed when one holds <see cref="BatchOptions.MaxSize"/> sightings or its first
/// sighting has waited <see cref="BatchOptions.MaxDelay"/>, and writes each to the disk queue with a fresh batch id.
/// </summary>
public sealed class Batcher(string gatewayId, BatchOptions options, DiskQueue queue, TimeProvider time)
{
    private long _heard;

    public long Heard => Interlocked.Read(ref _heard);

    /// <summary>Runs until <paramref name="input"/> completes, then queues what is left.</summary>
    public async Task RunAsync(ChannelReader<GatewaySighting> input, CancellationToken cancellationToken)
    {
        var pending = new List<GatewaySighting>(options.MaxSize);
        long openedAt = 0;
        Task<bool>? readable = null;
        while (true)
        {
            readable ??= input.WaitToReadAsync(cancellationToken).AsTask();
            if (pending.Count > 0)
            {
                var left = options.MaxDelay - time.GetElapsedTime(openedAt);
                if (left <= TimeSpan.Zero || await Task.WhenAny(readable, Task.Delay(left, time, cancellationToken)) != readable)
                {
                    Flush(pending);
                    continue;
                }
            }

            var more = await readable;
            readable = null;
            if (!more)
            {
                break;
            }

            while (pending.Count < options.MaxSize && input.TryRead(out var sighting))
            {
                if (pending.Count == 0)
                {
                    openedAt = time.GetTimestamp();
                }

                pending.Add(sighting);
                Interlocked.Increment(ref _heard);
            }

            if (pending.Count >= options.MaxSize)
            {
                Flush(pending);
            }
        }

        if (pending.Count > 0)
        {
            Flush(pending);
        }
    }

    private void Flush(List<GatewaySighting> pending)
    {
        var batchId = Guid.NewGuid().ToString("N");
        queue.Enqueue(batchId, pending.Count, BatchEncoder.Json(gatewayId, batchId, pending));
        pending.Clear();
    }
}

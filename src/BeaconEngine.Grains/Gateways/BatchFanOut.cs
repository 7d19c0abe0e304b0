using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Gateways;
using BeaconEngine.Contracts.Shoppers;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Gateways;

/// <summary>
/// Hands a batch's sightings to their shoppers' grains and calibration walks, all at once, and makes the
/// batch's receipt. A shopper or walk whose call fails has their items rejected (to be sent again);
/// everyone else's still count. A shopper who uses none of theirs (consent withdrawn) has them dropped. When the
/// grains' store did not answer, the whole batch fails instead (<see cref="StoreUnavailableException"/>): the
/// gateway is told to wait and send the same batch again, which is processed afresh.
/// </summary>
internal sealed partial class BatchFanOut(IGrainFactory grains, ILogger<BatchFanOut> logger)
{
    private const string SendAgain = "could not be processed just now; send it again";

    public async Task<BatchReceipt> DispatchAsync(GatewayBatch batch)
    {
        Coupons.CouponLatency.GatewayReached();
        var walks = batch.Walks.Select(async w => (w.Indexes, Times(w.Sightings), Used: await UseAsync(
            () => grains.GetGrain<ICalibrationGrain>(w.CalibrationKey).RecordSightings(w.Sightings).AsTask(), w.CalibrationKey, isWalk: true)));
        var shoppers = batch.Shoppers.Select(async s => (s.Indexes, Times(s.Sightings), Used: await UseAsync(
            () => grains.GetGrain<IShopperGrain>(s.ShopperId).RecordSightings(s.Sightings).AsTask(), s.ShopperId, isWalk: false)));
        var results = await Task.WhenAll(walks.Concat(shoppers));

        var (accepted, dropped) = (0, batch.Dropped);
        var (oldest, newest) = (batch.DroppedOldestAt, batch.DroppedNewestAt);
        var rejected = new List<BatchRejection>(batch.Rejected);
        Failure? first = null;
        var failed = 0;
        foreach (var (indexes, times, used) in results)
        {
            if (used.Failure is { } failure)
            {
                rejected.AddRange(indexes.Select(i => new BatchRejection(i, SendAgain)));
                first ??= failure;
                failed++;
                continue;
            }

            accepted += used.Count;
            dropped += indexes.Length - used.Count;
            if (times is var (from, last))
            {
                oldest = oldest is null || from < oldest ? from : oldest;
                newest = newest is null || last > newest ? last : newest;
            }
        }

        if (first is { } one)
        {
            // One line per batch, however many calls failed: a node falling behind would otherwise log a line and a
            // stack for every shopper of every batch, and the logging itself would keep it behind.
            LogFailed(logger, one.Error, failed, results.Length, one.IsWalk ? "calibration walk" : "shopper", one.Subject);
        }

        rejected.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return new BatchReceipt(batch.Items, accepted, dropped, [.. rejected], oldest, newest);
    }

    /// <summary>How many sightings the call used, or why it failed.</summary>
    private static async Task<(int Count, Failure? Failure)> UseAsync(Func<Task<int>> call, string subject, bool isWalk)
    {
        try
        {
            return (await call(), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not StoreUnavailableException)
        {
            return (0, new Failure(subject, isWalk, ex));
        }
    }

    private sealed record Failure(string Subject, bool IsWalk, Exception Error);

    // Sightings come sorted by event time: the first and last span them.
    private static (DateTimeOffset First, DateTimeOffset Last)? Times(Sighting[] sightings) =>
        sightings.Length == 0 ? null : (sightings[0].Timestamp, sightings[^1].Timestamp);

    private static (DateTimeOffset First, DateTimeOffset Last)? Times(CalibrationSighting[] sightings) =>
        sightings.Length == 0 ? null : (sightings[0].At, sightings[^1].At);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sightings of {Failed} of the batch's {Calls} shoppers and walks could not be processed; the gateway is told to send them again (the first: {Kind} {Subject})")]
    private static partial void LogFailed(ILogger logger, Exception ex, int failed, int calls, string kind, string subject);

}

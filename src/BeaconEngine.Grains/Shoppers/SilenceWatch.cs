using System.Collections.Concurrent;
using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// One watch per node over the shoppers placed in a zone: a shopper whose gateways have gone silent is
/// asked to check whether they left, as often as <see cref="Period"/>, until they are in no zone. One
/// timer for the node instead of a grain timer per shopper, which an idle activation would pay for in
/// memory long after the shopper left; and a shopper still being heard is never called at all.
/// </summary>
public sealed class SilenceWatch(IGrainFactory grains, TimeProvider time) : IDisposable
{
    /// <summary>How long without a batch before a shopper is asked, and how often after that.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    // Shopper id to the moment (TimeProvider ticks) from which they are due to be asked.
    private readonly ConcurrentDictionary<string, long> _due = new(StringComparer.Ordinal);
    private readonly Lock _start = new();
    private ITimer? _timer;
    private int _ticking;

    /// <summary>Shoppers under watch.</summary>
    public int Count => _due.Count;

    /// <summary>A batch for a shopper who is in a zone: they are due a check one period from now.</summary>
    public void Heard(string shopperId)
    {
        _due[shopperId] = time.GetTimestamp() + Ticks(Period);
        if (_timer is null)
        {
            lock (_start)
            {
                _timer ??= time.CreateTimer(static w => ((SilenceWatch)w!).Tick(), this, Period / 2, Period / 2);
            }
        }
    }

    /// <summary>The shopper is in no zone (or gone): nothing to watch.</summary>
    public void Forget(string shopperId) => _due.TryRemove(shopperId, out _);

    public void Dispose() => _timer?.Dispose();

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private void Tick()
    {
        // A tick that finds the last one still running leaves the work to it.
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        try
        {
            var now = time.GetTimestamp();
            foreach (var (shopperId, due) in _due)
            {
                if (due <= now && _due.TryUpdate(shopperId, now + Ticks(Period), due))
                {
                    Ask(shopperId);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    // One-way: the call returns at once, and the shopper's grain logs what goes wrong on its side.
    private void Ask(string shopperId) => grains.GetGrain<IShopperGrain>(shopperId).CheckSilence().Ignore();
}

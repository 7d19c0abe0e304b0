using System.Collections.Concurrent;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// Event lists lent to shopper grains for the length of one call: a node holds as many as calls run at
/// once, not one per live shopper, and a batch still allocates nothing for its events.
/// </summary>
internal static class EventBuffers
{
    private const int MaxPooled = 256;
    private const int MaxKeptCapacity = 64;
    private static readonly ConcurrentBag<List<ProximityEvent>> Pool = [];

    public static List<ProximityEvent> Rent() => Pool.TryTake(out var list) ? list : new List<ProximityEvent>(8);

    public static void Return(List<ProximityEvent> list)
    {
        // A list grown by an unusual batch is let go rather than kept at that size.
        if (list.Capacity <= MaxKeptCapacity && Pool.Count < MaxPooled)
        {
            list.Clear();
            Pool.Add(list);
        }
    }
}

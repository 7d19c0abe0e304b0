using BeaconEngine.Contracts.Analytics;

namespace BeaconEngine.Grains.Analytics;

/// <summary>In memory only: it is a live view, and it fills again from the next sightings after a restart.</summary>
internal sealed class StoreActivityGrain : Grain, IStoreActivityGrain
{
    private static readonly TimeSpan MinutesKept = TimeSpan.FromMinutes(60);

    private readonly Dictionary<string, string> _zoneOfShopper = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateTimeOffset, int> _couponsPerMinute = [];

    public Task ShopperAt(string shopperKey, string? zoneId)
    {
        if (zoneId is null)
        {
            _zoneOfShopper.Remove(shopperKey);
        }
        else
        {
            _zoneOfShopper[shopperKey] = zoneId;
        }

        return Task.CompletedTask;
    }

    public Task CouponIssued(DateTimeOffset at)
    {
        var minute = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        _couponsPerMinute[minute] = _couponsPerMinute.GetValueOrDefault(minute) + 1;
        while (_couponsPerMinute.Count > 0 && _couponsPerMinute.First().Key < minute - MinutesKept)
        {
            _couponsPerMinute.Remove(_couponsPerMinute.First().Key);
        }

        return Task.CompletedTask;
    }

    public Task<StoreActivity> Get(DateTimeOffset now)
    {
        var perZone = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var zone in _zoneOfShopper.Values)
        {
            perZone[zone] = perZone.GetValueOrDefault(zone) + 1;
        }

        var since = now - MinutesKept;
        return Task.FromResult(new StoreActivity(
            perZone,
            new SortedDictionary<DateTimeOffset, int>(_couponsPerMinute.Where(m => m.Key >= since).ToDictionary(m => m.Key, m => m.Value))));
    }
}

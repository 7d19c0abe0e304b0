using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Rules.Learning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// A shopper's two rows and the node's ports as plain objects, for <see cref="ShopperVisit"/> and
/// <see cref="CouponResponses"/> without a host: storing a row and sending the outbox write into the same ordered
/// log as the ports' calls (<see cref="ShopperPortFakes"/>), so a test reads what happened in what order.
/// </summary>
internal sealed class PlainShopper : IShopperRows, IStoreDirectory
{
    public const string ShopperId = "shp-1";

    public PlainShopper(params Contracts.Offers.OfferDefinition[] offers)
    {
        View = PlainStore.View(offers);
        Ports = new ShopperPorts(this, new ZoneResolverFactory(), new CouponIssuing(
            Fakes, Fakes, Fakes, Fakes, new RedemptionModel(), Clock, new EngineOptions(), NullLogger.Instance));
    }

    public ShopperPortFakes Fakes { get; } = new();

    public FakeTimeProvider Clock { get; } = new(PlainStore.Noon);

    public StoreView View { get; }

    public ShopperPorts Ports { get; }

    public ShopperState Shopper { get; } = PlainStore.Shopper(ShopperId);

    public PresenceState Presence { get; } = new();

    public List<string> Log => Fakes.Log;

    public ShopperVisit NewVisit() => new(ShopperId, this, Ports);

    public CouponResponses Responses => new(ShopperId, this, Ports);

    public Task StoreShopperAsync() => Done("store shopper");

    public Task StorePresenceAsync() => Done("store presence");

    public Task FlushOutboxAsync() => Done($"flush {Shopper.Outbox.Count}");

    /// <summary>Sends (logs) the store events stored so far, and lets them go as the log's answer would.</summary>
    public void SendStoreEvents()
    {
        if (Shopper.StoreEvents().Count > 0)
        {
            Log.Add($"send {string.Join(' ', Shopper.StoreEvents().Select(e => e.Type))}");
            Shopper.StoreEventsSent(Shopper.StoreEvents().Count);
        }
    }

    public ValueTask<StoreView?> GetAsync(string storeId) => ValueTask.FromResult<StoreView?>(storeId == View.StoreId ? View : null);

    public void Publish(StoreSnapshot snapshot) => throw new NotSupportedException("a plain store does not change");

    private Task Done(string step)
    {
        Log.Add(step);
        return Task.CompletedTask;
    }
}

using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Events;
using BeaconEngine.Rules.Policy;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// A till's basket for the shopper: counted for the store's programme and the brands' results, and recorded with its
/// event in one write of the shopper's record. A purchase id seen before (the till's retry) gets its first answer back
/// and counts nothing again.
/// </summary>
internal sealed class ShopperPurchases(string shopperId, IShopperRows rows, ShopperPorts ports)
{
    // A till's purchase ids are remembered this long, and this many at most, so its retry counts once.
    private static readonly TimeSpan IdsKept = TimeSpan.FromHours(24);
    private const int MaxIds = 50;

    public async Task<RecordedPurchase> RecordAsync(string storeId, string? purchaseId, Dictionary<string, decimal> spendByBrand, DateTimeOffset at)
    {
        var state = rows.Shopper;
        if (purchaseId is not null && state.RecordedPurchase(purchaseId) is { } earlier)
        {
            return earlier with { Repeated = true };
        }

        // Counted first, then recorded with its event in one write of the shopper's record. A crash in between
        // leaves no event and no answer, and the till's retry counts the basket's spend again (see docs/events.md).
        var total = spendByBrand.Values.Sum();
        var share = await ports.Stores.GetAsync(storeId) is { } view ? view.GlobalControlShare : 0;
        await ports.Results.BasketAsync(storeId, shopperId, GlobalControl.Contains(share, state.ShopperKey), total);
        var counted = await ports.Results.CountPurchaseAsync(shopperId, state.Exposures, spendByBrand, at);
        var purchase = new RecordedPurchase(purchaseId ?? Ids.New("pur"), at, total, counted, ports.Time.GetUtcNow());
        if (purchaseId is not null)
        {
            state.RememberPurchase(purchase, IdsKept, MaxIds);
        }

        state.RecordEvent(StoreEventFeed.Purchase(purchase.PurchaseId, at, total, spendByBrand, counted));
        await rows.StoreShopperAsync();
        rows.SendStoreEvents();
        return purchase;
    }
}

using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Offers;

internal sealed partial class OfferGrain(
    [PersistentState("offer", StorageNames.State)] IPersistentState<OfferState> state,
    IOptions<EngineOptions> options,
    ILogger<OfferGrain> logger) : Grain, IOfferGrain
{
    private OfferDefinition? Live => state.State.Deleted ? null : state.State.Definition;

    public async Task<bool> Create(OfferDefinition offer)
    {
        if (state.State.Definition is not null)
        {
            return false;
        }

        state.State.Definition = offer;
        state.State.Version = 1;
        await state.WriteStateAsync();
        await Store(offer).UpsertOffer(offer);
        return true;
    }

    public async Task<OfferUpdate> UpdateIfVersion(OfferDefinition offer, long[]? versions)
    {
        var s = state.State;
        if (Live is null)
        {
            return new OfferUpdate(Found: false, Stale: false, s.Version);
        }

        if (versions is not null && !versions.Contains(s.Version))
        {
            return new OfferUpdate(Found: true, Stale: true, s.Version);
        }

        var (before, version) = (s.Definition, s.Version);
        s.Definition = offer;
        s.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (s.Definition, s.Version) = (before, version);
            throw;
        }

        await Store(offer).UpsertOffer(offer);
        return new OfferUpdate(Found: true, Stale: false, s.Version);
    }

    public Task<OfferDefinition?> Get() => Task.FromResult(Live);

    public Task<VersionedOffer?> GetVersioned() =>
        Task.FromResult(Live is { } offer ? new VersionedOffer(offer, state.State.Version) : null);

    public async Task<bool> Delete()
    {
        if (Live is null)
        {
            return false;
        }

        // Kept, not cleared: coupons already issued still redeem and count against this offer.
        state.State.Deleted = true;
        await state.WriteStateAsync();
        await Store(state.State.Definition!).RemoveOffer(state.State.Definition!.OfferId);
        return true;
    }

    /// <summary>
    /// This grain is the only writer of its entry in the store's catalog, from within its own turn, so an
    /// update and a delete of one offer reach the catalog in the order they happened.
    /// </summary>
    private IStoreGrain Store(OfferDefinition offer) => GrainFactory.GetGrain<IStoreGrain>(offer.StoreId);

    public Task<OfferStats?> GetStats()
    {
        var s = state.State;
        OfferStats? stats = s.Definition is { } offer
            ? new OfferStats(s.Issued, s.Redeemed, offer.MaxCoupons is { } max ? Math.Max(0, max - s.Issued) : null)
            : null;
        return Task.FromResult(stats);
    }

    public Task<OfferRecord?> GetIncludingRetired() =>
        Task.FromResult(state.State.Definition is { } offer ? new OfferRecord(offer, state.State.Deleted) : null);

    /// <summary>
    /// Counted once per coupon: the mark that the coupon of <paramref name="ordinal"/> is counted is stored with
    /// the count. A write that fails takes both back, since the shopper keeps the redemption in its outbox and
    /// sends it again.
    /// </summary>
    public async Task RecordRedeemed(long ordinal)
    {
        var s = state.State;
        if (!CountedCoupons.TryMark(s.RedeemedCounted, ordinal, out var marked))
        {
            return;
        }

        s.RedeemedCounted = marked;
        s.Redeemed++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            s.Redeemed--;
            s.RedeemedCounted = CountedCoupons.Unmark(marked, ordinal);
            throw;
        }
    }

    public Task<LedgerFeedback?> GetLedgerFeedback()
    {
        var s = state.State;
        return Task.FromResult(HasLedgerFeedback(s)
            ? new LedgerFeedback(
                s.LegacyDelivered, s.LegacyDismissed, s.LegacyDeliveredCounted, s.LegacyDismissedCounted, CountedCoupons.Both(s.LegacyDismissedCounted, s.RedeemedCounted))
            : null);
    }

    public async Task ForgetLedgerFeedback()
    {
        var s = state.State;
        if (!HasLedgerFeedback(s))
        {
            return;
        }

        (s.LegacyDelivered, s.LegacyDismissed, s.LegacyDeliveredCounted, s.LegacyDismissedCounted) = (0, 0, [], []);
        await state.WriteStateAsync();
    }

    private static bool HasLedgerFeedback(OfferState s) =>
        s.LegacyDelivered != 0 || s.LegacyDismissed != 0 || s.LegacyDeliveredCounted.Length > 0 || s.LegacyDismissedCounted.Length > 0;
}

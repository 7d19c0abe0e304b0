using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Offers;

internal sealed partial class OfferGrain(
    [PersistentState("offer", StorageNames.State)] IPersistentState<OfferState> state,
    IOptions<EngineOptions> options,
    TimeProvider time,
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
            ? new OfferStats(s.Issued, s.Delivered, s.Dismissed, s.Redeemed, offer.MaxCoupons is { } max ? Math.Max(0, max - s.Issued) : null, s.HeldOut, ExpiredBy(time.GetUtcNow()))
            : null;
        return Task.FromResult(stats);
    }

    public Task<OfferRecord?> GetIncludingRetired() =>
        Task.FromResult(state.State.Definition is { } offer ? new OfferRecord(offer, state.State.Deleted) : null);

    public async Task<bool> RecordHoldout()
    {
        if (Live is null)
        {
            return false;
        }

        state.State.HeldOut++;
        await state.WriteStateAsync();
        return true;
    }

    public Task RecordFeedback(CouponFeedback feedback, long ordinal) => CountAndStoreAsync(feedback, ordinal, undo: null);

    /// <summary>
    /// Counts <paramref name="feedback"/> and stores it, with the mark that the coupon of <paramref name="ordinal"/>
    /// is counted (nothing if it was already). A write that fails takes the count and the mark back (and whatever
    /// <paramref name="undo"/> restores), since the sender keeps it in its outbox and sends it again.
    /// </summary>
    private async Task CountAndStoreAsync(CouponFeedback feedback, long ordinal, Action? undo)
    {
        var s = state.State;
        var counted = CountedOf(feedback);
        if (!CountedCoupons.TryMark(counted, ordinal, out var marked))
        {
            return;
        }

        SetCountedOf(feedback, marked);
        Action take = feedback switch
        {
            CouponFeedback.Delivered => () => s.Delivered--,
            CouponFeedback.Dismissed => () => s.Dismissed--,
            CouponFeedback.Redeemed => () => s.Redeemed--,
            _ => throw new ArgumentOutOfRangeException(nameof(feedback), feedback, "unknown feedback"),
        };
        switch (feedback)
        {
            case CouponFeedback.Delivered:
                s.Delivered++;
                break;
            case CouponFeedback.Dismissed:
                s.Dismissed++;
                break;
            case CouponFeedback.Redeemed:
                s.Redeemed++;
                break;
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            take();
            SetCountedOf(feedback, CountedCoupons.Unmark(marked, ordinal));
            undo?.Invoke();
            throw;
        }
    }

    private byte[] CountedOf(CouponFeedback feedback) => feedback switch
    {
        CouponFeedback.Delivered => state.State.DeliveredCounted,
        CouponFeedback.Dismissed => state.State.DismissedCounted,
        CouponFeedback.Redeemed => state.State.RedeemedCounted,
        _ => throw new ArgumentOutOfRangeException(nameof(feedback), feedback, "unknown feedback"),
    };

    private void SetCountedOf(CouponFeedback feedback, byte[] bits)
    {
        switch (feedback)
        {
            case CouponFeedback.Delivered:
                state.State.DeliveredCounted = bits;
                break;
            case CouponFeedback.Dismissed:
                state.State.DismissedCounted = bits;
                break;
            case CouponFeedback.Redeemed:
                state.State.RedeemedCounted = bits;
                break;
        }
    }
}

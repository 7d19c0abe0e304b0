using BeaconEngine.Contracts.Access;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Selection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Shoppers;

internal sealed partial class ShopperGrain(
    [PersistentState("shopper", StorageNames.State)] IPersistentState<ShopperState> state,
    IStoreDirectory stores,
    IZoneResolverFactory resolvers,
    IOfferSelector selector,
    ICouponPusher pusher,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<ShopperGrain> logger) : Grain, IShopperGrain
{
    private const int CodeLength = 10;
    private const int MaxCandidates = 16;

    private readonly List<ZoneTransition> _transitions = [];
    private readonly Offer?[] _candidates = new Offer?[MaxCandidates];

    // Offers whose budget ran out, per catalog version; cleared when the catalog changes.
    private readonly HashSet<string> _exhausted = new(StringComparer.Ordinal);
    private long _exhaustedVersion = -1;
    private IZoneResolver? _resolver;

    private string ShopperId => this.GetPrimaryKeyString();

    public async Task Enrol(ShopperProfile profile, string tokenHash)
    {
        state.State.Profile = profile;
        state.State.TokenHash = tokenHash;
        await state.WriteStateAsync();
    }

    public Task<ShopperProfile?> GetProfile() => Task.FromResult(state.State.Profile);

    public async ValueTask<int> RecordSightings(Sighting[] sightings)
    {
        if (state.State.Profile is not { Consent.Proximity: true } profile || sightings.Length == 0)
        {
            return 0;
        }

        var view = await stores.GetAsync(profile.StoreId);
        if (view is null)
        {
            return 0;
        }

        _resolver ??= resolvers.Create(profile.StoreId);
        _transitions.Clear();
        foreach (var s in sightings)
        {
            _resolver.Observe(new GatewayReading(s.GatewayId, s.ZoneId, s.Rssi, s.Timestamp), _transitions);
        }

        var changed = ApplyTransitions();
        var coupon = await TryIssueCouponAsync(view);
        if (changed || coupon is not null)
        {
            await state.WriteStateAsync();
        }

        // The wallet holds the coupon before any phone sees it.
        if (coupon is not null)
        {
            await PushAsync(coupon);
        }

        return sightings.Length;
    }

    public Task<Coupon[]> GetWallet()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(state.State.Wallet.Where(c => c.IsUsableAt(now)).OrderByDescending(c => c.IssuedAt).ToArray());
    }

    public Task<Coupon[]> GetUnacknowledged()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(state.State.Wallet
            .Where(c => c.Status == CouponStatus.Issued && now < c.ExpiresAt)
            .OrderBy(c => c.IssuedAt)
            .ToArray());
    }

    public async Task<bool> Acknowledge(string couponId)
    {
        var index = FindCoupon(couponId);
        if (index < 0)
        {
            return false;
        }

        var coupon = state.State.Wallet[index];
        if (coupon.Status == CouponStatus.Issued)
        {
            state.State.Wallet[index] = coupon with { Status = CouponStatus.Delivered, AcknowledgedAt = time.GetUtcNow() };
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<IOfferGrain>(coupon.OfferId).RecordFeedback(CouponFeedback.Delivered);
        }

        return true;
    }

    public async Task<bool> Dismiss(string couponId)
    {
        var index = FindCoupon(couponId);
        if (index < 0)
        {
            return false;
        }

        var coupon = state.State.Wallet[index];
        if (coupon.Status is CouponStatus.Issued or CouponStatus.Delivered)
        {
            var now = time.GetUtcNow();
            state.State.Wallet[index] = coupon with
            {
                Status = CouponStatus.Dismissed,
                AcknowledgedAt = coupon.AcknowledgedAt ?? now,
                ClosedAt = now,
            };
            await state.WriteStateAsync();
            var offer = GrainFactory.GetGrain<IOfferGrain>(coupon.OfferId);
            if (coupon.Status == CouponStatus.Issued)
            {
                // A dismissal proves the phone received it.
                await offer.RecordFeedback(CouponFeedback.Delivered);
            }

            await offer.RecordFeedback(CouponFeedback.Dismissed);
        }

        return true;
    }

    public async Task MarkRedeemed(string couponId, DateTimeOffset at)
    {
        var index = FindCoupon(couponId);
        if (index >= 0 && state.State.Wallet[index].Status != CouponStatus.Redeemed)
        {
            state.State.Wallet[index] = state.State.Wallet[index] with { Status = CouponStatus.Redeemed, ClosedAt = at };
            await state.WriteStateAsync();
        }
    }

    public Task<TrailEntry[]> GetTrail() => Task.FromResult(state.State.Trail.ToArray());

    public async Task Erase()
    {
        var s = state.State;
        if (s.Profile is null)
        {
            return;
        }

        foreach (var coupon in s.Wallet)
        {
            await GrainFactory.GetGrain<ICouponCodeGrain>(coupon.Code).Remove();
        }

        await GrainFactory.GetGrain<IBeaconIdentityGrain>(s.Profile.Advertisement.Key).Release();
        if (s.TokenHash is not null)
        {
            await GrainFactory.GetGrain<IAccessKeyGrain>(s.TokenHash).Revoke();
        }

        await state.ClearStateAsync();
        state.State = new ShopperState();
        _resolver = null;
        DeactivateOnIdle();
    }

    private bool ApplyTransitions()
    {
        if (_transitions.Count == 0)
        {
            return false;
        }

        var trail = state.State.Trail;
        foreach (var t in _transitions)
        {
            if (trail.Count > 0 && trail[^1].ExitedAt is null)
            {
                trail[^1] = trail[^1] with { ExitedAt = t.At };
            }

            trail.Add(new TrailEntry(t.ToZoneId, t.At, null));
        }

        var excess = trail.Count - options.Value.MaxTrailEntries;
        if (excess > 0)
        {
            trail.RemoveRange(0, excess);
        }

        return true;
    }

    private async Task<Coupon?> TryIssueCouponAsync(StoreView view)
    {
        if (_resolver is not { CurrentZoneId: { } zoneId, EnteredAt: { } enteredAt, LastEventTime: { } at })
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - at > options.Value.MaxTriggerAge)
        {
            return null;
        }

        if (_exhaustedVersion != view.Version)
        {
            _exhausted.Clear();
            _exhaustedVersion = view.Version;
        }

        var zoneEvent = new ZoneEvent(zoneId, at - enteredAt, at);
        var count = selector.SelectEligible(view.Catalog, zoneEvent, state.State, _candidates);
        for (var i = 0; i < count; i++)
        {
            var offer = _candidates[i]!;
            _candidates[i] = null;
            if (_exhausted.Contains(offer.OfferId) || !view.Offers.TryGetValue(offer.OfferId, out var definition))
            {
                continue;
            }

            if (!await GrainFactory.GetGrain<IOfferGrain>(offer.OfferId).TryReserve())
            {
                _exhausted.Add(offer.OfferId);
                continue;
            }

            Array.Clear(_candidates, i, count - i);
            return await IssueAsync(definition, zoneId, now);
        }

        return null;
    }

    private async Task<Coupon> IssueAsync(OfferDefinition offer, string zoneId, DateTimeOffset now)
    {
        var couponId = Ids.New("cpn");
        var expiresAt = now.AddMinutes(offer.CouponTtlMinutes);
        string code;
        do
        {
            code = Ids.Random(CodeLength);
        }
        while (!await GrainFactory.GetGrain<ICouponCodeGrain>(code)
            .Register(new CouponTicket(offer.StoreId, ShopperId, couponId, offer.OfferId, expiresAt)));

        var coupon = new Coupon
        {
            CouponId = couponId,
            OfferId = offer.OfferId,
            BrandId = offer.BrandId,
            Title = offer.Title,
            Description = offer.Description,
            DiscountKind = offer.DiscountKind,
            DiscountValue = offer.DiscountValue,
            ZoneId = zoneId,
            Code = code,
            IssuedAt = now,
            ExpiresAt = expiresAt,
            Status = CouponStatus.Issued,
        };
        state.State.Wallet.Add(coupon);
        state.State.CouponsPerOffer[offer.OfferId] = state.State.CouponsReceived(offer.OfferId) + 1;
        return coupon;
    }

    private async Task PushAsync(Coupon coupon)
    {
        try
        {
            await pusher.PushAsync(ShopperId, coupon);
        }
        catch (Exception ex)
        {
            // Stored already; the app gets it again when it reconnects.
            LogPushFailed(logger, ex, coupon.CouponId, ShopperId);
        }
    }

    private int FindCoupon(string couponId) => state.State.Wallet.FindIndex(c => c.CouponId == couponId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of coupon {CouponId} to shopper {ShopperId} failed; it stays in the wallet for redelivery")]
    private static partial void LogPushFailed(ILogger logger, Exception ex, string couponId, string shopperId);
}

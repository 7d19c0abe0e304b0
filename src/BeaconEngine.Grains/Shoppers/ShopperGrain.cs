using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Policy;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// One shopper's live state, a thin shell over plain classes: <see cref="Presence"/> (resolver, trail,
/// visits), <see cref="CouponIssuer"/> (decision, reserve, file, confirm or undo), <see cref="ShopperWallet"/>
/// and <see cref="FeedbackOutbox"/>. It holds two rows: the shopper's record with the wallet, and their
/// presence, so a zone change does not rewrite the wallet.
/// </summary>
internal sealed class ShopperGrain(
    [PersistentState(ShopperState.Name, StorageNames.State)] IPersistentState<ShopperState> shopper,
    [PersistentState(PresenceState.Name, StorageNames.State)] IPersistentState<PresenceState> presence,
    ShopperServices services) : Grain, IShopperGrain, IShopperSelfServiceGrain
{
    private static readonly TimeSpan OutboxRetry = TimeSpan.FromSeconds(5);

    // Made on first use, so an activation that is only read holds none of them.
    private Presence? _presence;
    private CouponIssuer? _issuer;
    private FeedbackOutbox? _outbox;
    private IGrainTimer? _outboxTimer;

    private string ShopperId => this.GetPrimaryKeyString();

    private Presence Whereabouts => _presence ??= new(services.Resolvers, services.Engine.MaxTrailEntries, presence.State.LastSeenAt, Presence.LastStayStart(presence.State));

    private CouponIssuer Issuer => _issuer ??= new(services.Issuing);

    private FeedbackOutbox Outbox => _outbox ??= new(services.Offers, services.Time, services.Logger);

    private ShopperWallet Wallet => new(shopper.State);

    private DateTimeOffset Now => services.Time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Presence.CloseStayLeftOpen(presence.State))
        {
            await presence.WriteStateAsync(cancellationToken);
        }

        if (shopper.State.Outbox.Count > 0)
        {
            // An outbox left by an earlier activation is sent soon after this one starts.
            _outboxTimer = this.RegisterGrainTimer(_ => FlushOutboxAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, OutboxRetry) { KeepAlive = true });
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // An activation that ends while the shopper is in a zone closes the stay when it next starts.
        services.Silence.Forget(ShopperId);

        // Store that the outbox was counted, so a later activation does not count it again.
        if (_outbox is not null && shopper.State.Profile is not null)
        {
            await _outbox.StoreIfSentAsync(ShopperId, () => shopper.WriteStateAsync(cancellationToken));
        }
    }

    public async Task Enrol(ShopperProfile profile, string tokenHash)
    {
        shopper.State.Profile = profile;
        shopper.State.TokenHash = tokenHash;
        await shopper.WriteStateAsync();
        await services.Lifecycle.EnrolAsync(profile, tokenHash);
    }

    public Task<ShopperProfile?> GetProfile() => Task.FromResult(shopper.State.Profile);

    public async ValueTask<int> RecordSightings(Sighting[] sightings)
    {
        var received = CouponLatency.TakeReceived();
        if (shopper.State.Profile is not { Consent.Proximity: true } profile || sightings.Length == 0
            || await services.Stores.GetAsync(profile.StoreId) is not { } view)
        {
            return 0;
        }

        var events = EventBuffers.Rent();
        try
        {
            var visits = presence.State.VisitCount;
            var moved = Whereabouts.Observe(presence.State, view, sightings, events, Now);
            if (presence.State.VisitCount > visits)
            {
                services.Results.Visited(view.StoreId, ShopperId, GlobalControl.Contains(view.GlobalControlShare, shopper.State.ShopperKey));
            }

            if (Whereabouts.CurrentZoneId is not null)
            {
                services.Silence.Heard(ShopperId);
            }

            await ActAsync(view, events, moved, received);
            ReportZone(view.StoreId);
            return sightings.Length;
        }
        finally
        {
            EventBuffers.Return(events);
        }
    }

    /// <summary>Asked by the node's silence watch: a shopper who left the store is exited (and exit offers may answer).</summary>
    public async Task CheckSilence()
    {
        if (_presence is not null && shopper.State.Profile is { } profile)
        {
            var events = EventBuffers.Rent();
            try
            {
                if (_presence.AdvanceAfterSilence(presence.State, Now, SilenceWatch.Period, events))
                {
                    await ActAsync(await services.Stores.GetAsync(profile.StoreId), events, moved: true, received: null);
                }

                ReportZone(profile.StoreId);
            }
            finally
            {
                EventBuffers.Return(events);
            }
        }

        if (_presence?.CurrentZoneId is null)
        {
            services.Silence.Forget(ShopperId);
            _presence?.LetGoOfIdleResolver();
        }
    }

    /// <summary>The phone's region exit: the shopper is out of their zone at once (exit offers may answer it).</summary>
    public async Task LeaveStore(DateTimeOffset at)
    {
        if (_presence is not null && shopper.State.Profile is { } profile)
        {
            var events = EventBuffers.Rent();
            try
            {
                if (_presence.LeaveStore(presence.State, at, events))
                {
                    await ActAsync(await services.Stores.GetAsync(profile.StoreId), events, moved: true, received: null);
                }

                ReportZone(profile.StoreId);
            }
            finally
            {
                EventBuffers.Return(events);
            }
        }

        services.Silence.Forget(ShopperId);
    }

    /// <summary>
    /// Acts on one call's zone events: the issuer decides, stores the wallet and pushes a coupon after it; the
    /// presence row is stored last, off the coupon's path.
    /// </summary>
    private async Task ActAsync(StoreView? view, List<ProximityEvent> events, bool moved, long? received)
    {
        if (view is not null && _presence?.Resolver is { } resolver)
        {
            await Issuer.IssueAsync(ShopperId, view, resolver, events, shopper.State, presence.State, () => shopper.WriteStateAsync(), received);
        }

        if (moved)
        {
            await presence.WriteStateAsync();
        }
    }

    public Task<Coupon[]> GetWallet() => Task.FromResult(Wallet.Usable(Now));

    public Task<Coupon[]> GetUnacknowledged() => Task.FromResult(Wallet.Unacknowledged(Now));

    public Task<CouponHolding> Holds(string couponId) => Task.FromResult(
        _issuer?.Writing == couponId ? CouponHolding.Writing : Wallet.Holds(couponId) ? CouponHolding.Held : CouponHolding.NotHeld);

    public async Task<bool> Acknowledge(string couponId)
    {
        if (Wallet.Acknowledge(couponId, Now) is { } coupon)
        {
            await shopper.WriteStateAsync();
            TellLog(StoreEventTypes.Delivered, coupon);
            await FlushOutboxAsync();
            services.Results.Track(OfferEventKind.Opened, coupon);
            TellZoneStage(ZoneStage.Opened, coupon);
        }

        return Wallet.Holds(couponId);
    }

    public async Task<bool> Dismiss(string couponId)
    {
        if (Wallet.Dismiss(couponId, Now) is { } coupon)
        {
            await shopper.WriteStateAsync();
            TellLog(StoreEventTypes.Dismissed, coupon);
            await LearnAsync(coupon, redeemed: false);
            await FlushOutboxAsync();
            services.Results.Track(OfferEventKind.Dismissed, coupon);
        }

        return Wallet.Holds(couponId);
    }

    public async Task MarkRedeemed(string couponId, DateTimeOffset at)
    {
        if (Wallet.MarkRedeemed(couponId, at) is { } coupon)
        {
            await shopper.WriteStateAsync();
            TellLog(StoreEventTypes.Redeemed, coupon, at);
            await LearnAsync(coupon, redeemed: true);
            await FlushOutboxAsync();
            services.Results.Track(OfferEventKind.Redeemed, coupon);
            TellZoneStage(ZoneStage.Redeemed, coupon);
        }
    }

    public async Task<RedemptionResult> RedeemCode(string storeId, string code, DateTimeOffset at)
    {
        var scan = Wallet.Scan(ShopperId, storeId, code, at);
        if (scan.Outcome == RedemptionOutcome.Redeemed)
        {
            await MarkRedeemed(scan.Ticket!.CouponId, at);
        }

        return scan;
    }

    public Task<TrailEntry[]> GetTrail() => Task.FromResult(presence.State.Trail.ToArray());

    public async Task<DecisionExplanation?> Explain(string zoneId, string trigger, TimeSpan dwell, DateTimeOffset at) =>
        shopper.State.Profile is { } profile && await services.Stores.GetAsync(profile.StoreId) is { } view
            ? Issuer.Explain(view, new ZoneEvent(zoneId, Enum.Parse<OfferTrigger>(trigger, ignoreCase: true), dwell, at), shopper.State, presence.State)
            : null;

    public async Task<OfferAttribution[]?> RecordPurchase(string storeId, Dictionary<string, decimal> spendByBrand, DateTimeOffset at)
    {
        if (shopper.State.Profile?.StoreId != storeId)
        {
            return null;
        }

        var share = await services.Stores.GetAsync(storeId) is { } view ? view.GlobalControlShare : 0;
        await services.Results.BasketAsync(storeId, ShopperId, GlobalControl.Contains(share, shopper.State.ShopperKey), spendByBrand.Values.Sum());
        return await services.Results.CountPurchaseAsync(ShopperId, shopper.State.Exposures, spendByBrand, at);
    }

    public async Task Erase()
    {
        if (shopper.State.Profile is null)
        {
            return;
        }

        await services.Lifecycle.EraseAsync(ShopperId, shopper.State);
        await presence.ClearStateAsync();
        await shopper.ClearStateAsync();
        (shopper.State, presence.State, _presence) = (new ShopperState(), new PresenceState(), null);
        services.Silence.Forget(ShopperId);
        DeactivateOnIdle();
    }

    public Task<ShopperProfile?> SetPreferences(ShopperPreferences preferences, string preferencesJson) =>
        ChangeProfileAsync(p => p with { Preferences = preferences, PreferencesJson = preferencesJson });

    public Task<ShopperProfile?> SetConsent(Consent consent) => ChangeProfileAsync(p => p with { Consent = consent }, async p =>
    {
        if (!consent.Proximity)
        {
            // No longer located: where the shopper has been is forgotten, and they are in no zone.
            Whereabouts.Forget(presence.State);
            services.Silence.Forget(ShopperId);
            ReportZone(p.StoreId);
            await presence.WriteStateAsync();
        }
    });

    public async Task<bool> MarkNotRelevant(string couponId)
    {
        if (Wallet.Get(couponId) is not { } coupon || shopper.State.Profile is not { } profile)
        {
            return false;
        }

        await Dismiss(couponId);
        var view = await services.Stores.GetAsync(profile.StoreId);
        shopper.State.MarkNotRelevant(coupon, view?.Catalog.Policy.DismissalsToExcludeCategory ?? 2);
        await shopper.WriteStateAsync();
        TellLog(StoreEventTypes.NotRelevant, coupon);
        services.Results.Track(OfferEventKind.NotRelevant, coupon);
        return true;
    }

    public async Task<LoyaltyLink> LinkLoyalty(string loyaltyId) => shopper.State.Profile is { } profile
        ? await services.Lifecycle.LinkLoyaltyAsync(profile, loyaltyId)
        : LoyaltyLink.NoSuchShopper;

    public async Task<bool> UnlinkLoyalty()
    {
        if (shopper.State.Profile is { } profile)
        {
            await services.Lifecycle.UnlinkLoyaltyAsync(profile);
        }

        return shopper.State.Profile is not null;
    }

    /// <summary>Changes an enrolled shopper's profile and stores it; null if there is no such shopper.</summary>
    private async Task<ShopperProfile?> ChangeProfileAsync(Func<ShopperProfile, ShopperProfile> change, Func<ShopperProfile, Task>? before = null)
    {
        if (shopper.State.Profile is not { } profile)
        {
            return null;
        }

        shopper.State.Profile = change(profile);
        await (before?.Invoke(profile) ?? Task.CompletedTask);
        await shopper.WriteStateAsync();
        return shopper.State.Profile;
    }

    /// <summary>Sends the outbox in order; what cannot be sent now is tried again in a few seconds.</summary>
    private async Task FlushOutboxAsync()
    {
        if (await Outbox.FlushAsync(shopper.State.Outbox))
        {
            _outboxTimer?.Dispose();
            _outboxTimer = null;
        }
        else
        {
            _outboxTimer ??= this.RegisterGrainTimer(_ => FlushOutboxAsync(), new GrainTimerCreationOptions(OutboxRetry, OutboxRetry) { KeepAlive = true });
        }
    }

    private Task LearnAsync(Coupon coupon, bool redeemed) => shopper.State.Profile is { } profile
        ? services.Results.LearnAsync(profile.StoreId, shopper.State.PrimarySegment, coupon, redeemed)
        : Task.CompletedTask;

    /// <summary>Tells the store's event log what became of a coupon, once the wallet holding it is stored.</summary>
    private void TellLog(string type, Coupon coupon, DateTimeOffset? at = null)
    {
        if (shopper.State.Profile is { } profile)
        {
            services.Events.Coupon(type, profile.StoreId, ShopperId, coupon, at ?? Now);
        }
    }

    /// <summary>Tells the store's live view which zone the shopper is in, when it changed.</summary>
    private void ReportZone(string storeId)
    {
        if (_presence?.TakeZoneChange() is (true, var zoneId))
        {
            services.Results.ZoneChanged(storeId, ShopperId, zoneId);
            services.Results.ZoneStays(storeId, ShopperId, _presence.TakeStays(presence.State));
        }
    }

    /// <summary>Tells the zone analytics that a coupon from a zone was opened or redeemed.</summary>
    private void TellZoneStage(ZoneStage stage, Coupon coupon)
    {
        if (shopper.State.Profile is { } profile)
        {
            services.Results.CouponStageInZone(profile.StoreId, ShopperId, stage, coupon);
        }
    }
}

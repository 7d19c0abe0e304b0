using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Policy;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// One shopper's live state, a thin shell over plain classes: <see cref="ShopperVisit"/> while they are in the
/// store (<see cref="Presence"/>: resolver, trail, visits; <see cref="CouponIssuer"/>: decision, reserve, file,
/// confirm or undo), <see cref="CouponResponses"/> and <see cref="ShopperWallet"/> for what becomes of a coupon,
/// and the outboxes (<see cref="FeedbackOutbox"/>, <see cref="StoreEventOutbox"/>). It holds two rows: the shopper's record with the wallet, and their
/// presence, so a zone change does not rewrite the wallet.
/// </summary>
internal sealed class ShopperGrain(
    [PersistentState(ShopperState.Name, StorageNames.State)] IPersistentState<ShopperState> shopper,
    [PersistentState(PresenceState.Name, StorageNames.State)] IPersistentState<PresenceState> presence,
    ShopperServices services) : Grain, IShopperGrain, IShopperSelfServiceGrain, IShopperRows
{
    // The outboxes' retry: 5 s, doubling after each failed try up to 5 min while the store's log (or an offer) stays unreachable.
    private static readonly TimeSpan OutboxRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxOutboxRetry = TimeSpan.FromMinutes(5);

    // A till's purchase ids are remembered this long, and this many at most, so its retry counts once.
    private static readonly TimeSpan PurchaseIdsKept = TimeSpan.FromHours(24);
    private const int MaxPurchaseIds = 50;

    // Made on first use, and the visit let go once the shopper has left, so an idle activation holds none of them.
    private ShopperVisit? _visit;
    private DateTimeOffset? _leftStoreAt;
    private FeedbackOutbox? _outbox;
    private StoreEventOutbox? _storeEvents;
    private IGrainTimer? _outboxTimer;
    private TimeSpan _outboxRetry = OutboxRetry;

    ShopperState IShopperRows.Shopper => shopper.State;

    PresenceState IShopperRows.Presence => presence.State;

    private string ShopperId => this.GetPrimaryKeyString();

    private FeedbackOutbox Outbox => _outbox ??= new(services.Offers, services.Time, services.Logger);

    private StoreEventOutbox StoreEvents => _storeEvents ??= new(services.EventLogs, services.Logger);

    private ShopperWallet Wallet => new(shopper.State);

    private CouponResponses Responses => new(ShopperId, this, services.Ports);

    private DateTimeOffset Now => services.Time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Presence.CloseStayLeftOpen(presence.State))
        {
            await presence.WriteStateAsync(cancellationToken);
        }

        if (shopper.State.StoreEvents().Count > 0)
        {
            // Read back, so stored: they may be sent.
            StoreEvents.RecordStored(shopper.State);
        }

        if (shopper.State.Outbox.Count > 0 || shopper.State.StoreEvents().Count > 0)
        {
            // An outbox left by an earlier activation (or a crash) is sent soon after this one starts.
            _outboxTimer = this.RegisterGrainTimer(_ => RetryOutboxesAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, OutboxRetry) { KeepAlive = true });
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // An activation that ends while the shopper is in a zone closes the stay when it next starts.
        services.Silence.Forget(ShopperId);

        // A send in flight finishes first; then store that the outboxes were sent, so a later activation does
        // not send them again (an offer would count nothing twice, the log would skip the ids, but neither need to).
        if (_storeEvents?.Sending is { } sending)
        {
            await sending.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        if ((_outbox is not null || _storeEvents is not null) && shopper.State.Profile is not null)
        {
            Outbox.SentSinceStored |= _storeEvents?.SentSinceStored == true;
            await Outbox.StoreIfSentAsync(ShopperId, () => WriteShopperAsync(cancellationToken));
        }
    }

    public async Task Enrol(ShopperProfile profile, string tokenHash)
    {
        shopper.State.Profile = profile;
        shopper.State.TokenHash = tokenHash;
        await WriteShopperAsync();
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

        var visit = _visit ??= new(ShopperId, this, services.Ports, _leftStoreAt);
        try
        {
            await visit.RecordAsync(view, sightings, received);
        }
        finally
        {
            if (visit.CurrentZoneId is not null)
            {
                services.Silence.Heard(ShopperId);
            }
        }

        return sightings.Length;
    }

    /// <summary>Asked by the node's silence watch: a shopper who left the store is exited (and exit offers may answer).</summary>
    public async Task CheckSilence()
    {
        if (_visit is not null && shopper.State.Profile is { } profile)
        {
            await _visit.CheckSilenceAsync(profile.StoreId, SilenceWatch.Period);
        }

        if (_visit?.CurrentZoneId is null)
        {
            services.Silence.Forget(ShopperId);
            if (_visit?.IsIdle == true)
            {
                _visit = null;
            }
        }
    }

    /// <summary>The phone's region exit: the shopper is out of their zone at once (exit offers may answer it).</summary>
    public async Task LeaveStore(DateTimeOffset at)
    {
        if (_visit is not null && shopper.State.Profile is { } profile)
        {
            await _visit.LeaveStoreAsync(profile.StoreId, at);
            (_visit, _leftStoreAt) = (null, _leftStoreAt is { } before && before > at ? before : at);
        }

        services.Silence.Forget(ShopperId);
    }

    public Task<Coupon[]> GetWallet() => Task.FromResult(Wallet.Usable(Now));

    public Task<Coupon[]> GetUnacknowledged() => Task.FromResult(Wallet.Unacknowledged(Now));

    public Task<CouponHolding> Holds(string couponId) => Task.FromResult(
        _visit?.Writing == couponId ? CouponHolding.Writing : Wallet.Holds(couponId) ? CouponHolding.Held : CouponHolding.NotHeld);

    public Task<bool> Acknowledge(string couponId) => Responses.AcknowledgeAsync(couponId);

    public Task<bool> Dismiss(string couponId) => Responses.DismissAsync(couponId);

    public Task MarkRedeemed(string couponId, DateTimeOffset at) => Responses.RedeemedAsync(couponId, at);

    public Task<bool> MarkNotRelevant(string couponId) => Responses.NotRelevantAsync(couponId);

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
            ? (_visit?.Issuer ?? new CouponIssuer(services.Issuing)).Explain(view, new ZoneEvent(zoneId, Enum.Parse<OfferTrigger>(trigger, ignoreCase: true), dwell, at), shopper.State, presence.State)
            : null;

    public async Task<RecordedPurchase?> RecordPurchase(string storeId, string? purchaseId, Dictionary<string, decimal> spendByBrand, DateTimeOffset at)
    {
        if (shopper.State.Profile?.StoreId != storeId)
        {
            return null;
        }

        if (purchaseId is not null && shopper.State.RecordedPurchase(purchaseId) is { } earlier)
        {
            return earlier with { Repeated = true };
        }

        // Counted first, then recorded with its event in one write of the shopper's record. A crash in between
        // leaves no event and no answer, and the till's retry counts the basket's spend again (see docs/events.md).
        var total = spendByBrand.Values.Sum();
        var share = await services.Stores.GetAsync(storeId) is { } view ? view.GlobalControlShare : 0;
        await services.Results.BasketAsync(storeId, ShopperId, GlobalControl.Contains(share, shopper.State.ShopperKey), total);
        var counted = await services.Results.CountPurchaseAsync(ShopperId, shopper.State.Exposures, spendByBrand, at);
        var purchase = new RecordedPurchase(purchaseId ?? Ids.New("pur"), at, total, counted, Now);
        if (purchaseId is not null)
        {
            shopper.State.RememberPurchase(purchase, PurchaseIdsKept, MaxPurchaseIds);
        }

        shopper.State.RecordEvent(Events.StoreEventFeed.Purchase(purchase.PurchaseId, at, total, spendByBrand, counted));
        await WriteShopperAsync();
        SendStoreEvents();
        return purchase;
    }

    public async Task Erase()
    {
        if (shopper.State.Profile is null)
        {
            return;
        }

        // Events of the shopper's still in the outbox go to the log first, as far as it takes them: the facts
        // they describe happened (the stream names the shopper by pseudonym only).
        if (_storeEvents?.HasStored == true)
        {
            await StoreEvents.SendAsync(shopper.State.Profile.StoreId, shopper.State);
        }

        await services.Lifecycle.EraseAsync(ShopperId, shopper.State);
        await presence.ClearStateAsync();
        await shopper.ClearStateAsync();
        (shopper.State, presence.State, _visit, _storeEvents) = (new ShopperState(), new PresenceState(), null, null);
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
            presence.State.Trail.Clear();
            _visit?.Forget(p.StoreId);
            _visit = null;
            services.Silence.Forget(ShopperId);
            await presence.WriteStateAsync();
        }
    });

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

    Task IShopperRows.StoreShopperAsync() => WriteShopperAsync();

    Task IShopperRows.StorePresenceAsync() => presence.WriteStateAsync();

    Task IShopperRows.FlushOutboxAsync() => FlushOutboxAsync();

    void IShopperRows.SendStoreEvents() => SendStoreEvents();

    /// <summary>Stores the shopper's record; the store events it holds are then durable and may be sent.</summary>
    private async Task WriteShopperAsync(CancellationToken cancellation = default)
    {
        services.EventLogs.Dropped(shopper.State.TakeDroppedEvents());
        await shopper.WriteStateAsync(cancellation);
        _storeEvents?.RecordStored(shopper.State);
        if (_storeEvents is null && shopper.State.StoreEvents().Count > 0)
        {
            StoreEvents.RecordStored(shopper.State);
        }
    }

    /// <summary>
    /// Starts sending the stored store events, not awaited: the caller (a coupon's push, a till's answer) goes on,
    /// and the send's continuations run on this activation between its turns. A failure leaves them for the timer.
    /// </summary>
    private void SendStoreEvents()
    {
        if (_storeEvents?.HasStored == true && shopper.State.Profile is { } profile && _storeEvents.Sending is null)
        {
            _ = SendStoreEventsAsync(profile.StoreId);
        }
    }

    private async Task SendStoreEventsAsync(string storeId)
    {
        if (!await StoreEvents.SendAsync(storeId, shopper.State))
        {
            RetrySoon();
        }
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
        await WriteShopperAsync();
        return shopper.State.Profile;
    }

    /// <summary>Sends the feedback outbox in order; what cannot be sent now is tried again in a few seconds.</summary>
    private async Task FlushOutboxAsync()
    {
        if (!await Outbox.FlushAsync(shopper.State.Outbox))
        {
            RetrySoon();
        }
    }

    /// <summary>The retry timer's tick: both outboxes (feedback, then store events); the timer stops once both are empty, and waits longer after each failed try.</summary>
    private async Task RetryOutboxesAsync()
    {
        var sent = await Outbox.FlushAsync(shopper.State.Outbox);
        if (_storeEvents?.HasStored == true && shopper.State.Profile is { } profile)
        {
            sent &= await StoreEvents.SendAsync(profile.StoreId, shopper.State);
        }

        if (sent)
        {
            _outboxTimer?.Dispose();
            (_outboxTimer, _outboxRetry) = (null, OutboxRetry);
        }
        else
        {
            _outboxRetry = _outboxRetry * 2 < MaxOutboxRetry ? _outboxRetry * 2 : MaxOutboxRetry;
            _outboxTimer?.Change(_outboxRetry, _outboxRetry);
        }
    }

    private void RetrySoon() =>
        _outboxTimer ??= this.RegisterGrainTimer(_ => RetryOutboxesAsync(), new GrainTimerCreationOptions(OutboxRetry, OutboxRetry) { KeepAlive = true });
}

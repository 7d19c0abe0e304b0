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
internal sealed class ShopperGrain(ShopperServices services) : Grain, IShopperGrain, IShopperSelfServiceGrain, IShopperRows
{
    // The two rows, read when the activation starts (plain holders, not Orleans' persistent state: see StoredRow).
    private readonly StoredRow<ShopperState> _shopper = new();
    private readonly StoredRow<PresenceState> _presence = new();

    // Made on first use, and the visit let go once the shopper has left, so an idle activation holds none of them.
    private ShopperVisit? _visit;

    // The presence row is let go with the visit (its trail is most of what an idle shopper holds) and read again when
    // asked. Sightings change it without storing it each time (the latest sighting's time is stored once a minute):
    // what they changed is stored before it is let go.
    private bool _presenceUnstored;
    private DateTimeOffset? _leftStoreAt;
    private ShopperOutboxes? _outboxes;

    ShopperState IShopperRows.Shopper => _shopper.State;

    // Only a visit reads it, and a visit is made with the row held (PresenceAsync).
    PresenceState IShopperRows.Presence => _presence.State ?? throw new InvalidOperationException("The presence row was let go.");

    private string ShopperId => this.GetPrimaryKeyString();

    private ShopperOutboxes Outboxes => _outboxes ??= new(services, () => _shopper.State, (tick, due) => this.RegisterGrainTimer(
        _ => tick(), new GrainTimerCreationOptions(due, due > TimeSpan.Zero ? due : TimeSpan.FromSeconds(5)) { KeepAlive = true }));

    private ShopperWallet Wallet => new(_shopper.State);

    private CouponResponses Responses => new(ShopperId, this, services.Ports);

    private DateTimeOffset Now => services.Time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            _shopper.ReadAsync(services.Storage, ShopperState.Name, this.GetGrainId(), services.Logger),
            _presence.ReadAsync(services.Storage, PresenceState.Name, this.GetGrainId(), services.Logger));
        _shopper.State.Profile = SharedProfileParts.Share(_shopper.State.Profile);
        if (Presence.CloseStayLeftOpen(_presence.State))
        {
            await StorePresenceAsync(cancellationToken);
        }

        // An outbox left by an earlier activation (or a crash) is sent soon after this one starts.
        if (_shopper.State.OutboxCount() > 0 || _shopper.State.StoreEvents().Count > 0)
        {
            Outboxes.Activated();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // An activation that ends while the shopper is in a zone closes the stay when it next starts.
        services.Silence.Forget(ShopperId);

        await (_outboxes?.DeactivatingAsync(ShopperId, () => WriteShopperAsync(cancellationToken), cancellationToken) ?? Task.CompletedTask);
    }

    public async Task Enrol(ShopperProfile profile, string tokenHash)
    {
        _shopper.State.Profile = SharedProfileParts.Share(profile);
        _shopper.State.TokenHash = tokenHash;
        await WriteShopperAsync();
        await services.Lifecycle.EnrolAsync(profile, tokenHash);
    }

    public Task<ShopperProfile?> GetProfile() => Task.FromResult(_shopper.State.Profile);

    public async ValueTask<int> RecordSightings(Sighting[] sightings)
    {
        var received = CouponLatency.TakeReceived();
        if (_shopper.State.Profile is not { Consent.Proximity: true } profile || sightings.Length == 0
            || await services.Stores.GetAsync(profile.StoreId) is not { } view)
        {
            return 0;
        }

        if (_visit is null)
        {
            await PresenceAsync();
        }

        var visit = _visit ??= new(ShopperId, this, services.Ports, _leftStoreAt);
        _presenceUnstored = true;
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
        if (_visit is not null && _shopper.State.Profile is { } profile)
        {
            await _visit.CheckSilenceAsync(profile.StoreId, SilenceWatch.Period);
        }

        if (_visit?.CurrentZoneId is null)
        {
            services.Silence.Forget(ShopperId);
            if (_visit?.IsIdle == true)
            {
                _visit = null;
                await LetPresenceGoAsync();
            }
        }
    }

    /// <summary>The phone's region exit: the shopper is out of their zone at once (exit offers may answer it).</summary>
    public async Task LeaveStore(DateTimeOffset at)
    {
        if (_visit is not null && _shopper.State.Profile is { } profile)
        {
            await _visit.LeaveStoreAsync(profile.StoreId, at);
            (_visit, _leftStoreAt) = (null, _leftStoreAt is { } before && before > at ? before : at);
            await LetPresenceGoAsync();
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

    public async Task<TrailEntry[]> GetTrail() => (await PresenceToReadAsync()).Trail.ToArray();

    public async Task<DecisionExplanation?> Explain(string zoneId, string trigger, TimeSpan dwell, DateTimeOffset at) =>
        _shopper.State.Profile is { } profile && await services.Stores.GetAsync(profile.StoreId) is { } view
            ? (_visit?.Issuer ?? new CouponIssuer(services.Issuing)).Explain(view, new ZoneEvent(zoneId, Enum.Parse<OfferTrigger>(trigger, ignoreCase: true), dwell, at), _shopper.State, await PresenceToReadAsync())
            : null;

    public async Task<RecordedPurchase?> RecordPurchase(string storeId, string? purchaseId, Dictionary<string, decimal> spendByBrand, DateTimeOffset at) =>
        _shopper.State.Profile?.StoreId == storeId
            ? await new ShopperPurchases(ShopperId, this, services.Ports).RecordAsync(storeId, purchaseId, spendByBrand, at)
            : null;

    public async Task Erase()
    {
        if (_shopper.State.Profile is null)
        {
            return;
        }

        // Events of the shopper's still in the outbox go to the log first (the stream names the shopper by pseudonym only).
        await (_outboxes?.SendBeforeErasureAsync(_shopper.State.Profile.StoreId) ?? Task.CompletedTask);

        await services.Lifecycle.EraseAsync(ShopperId, _shopper.State);
        await _presence.ClearAsync(services.Storage, PresenceState.Name, this.GetGrainId(), services.Logger);
        _presenceUnstored = false;
        await _shopper.ClearAsync(services.Storage, ShopperState.Name, this.GetGrainId(), services.Logger);
        _visit = null;
        _outboxes?.Erased();
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
            (await PresenceAsync()).Trail.Clear();
            _visit?.Forget(p.StoreId);
            _visit = null;
            services.Silence.Forget(ShopperId);
            await StorePresenceAsync();
            await LetPresenceGoAsync();
        }
    });

    public async Task<LoyaltyLink> LinkLoyalty(string loyaltyId) => _shopper.State.Profile is { } profile
        ? await services.Lifecycle.LinkLoyaltyAsync(profile, loyaltyId)
        : LoyaltyLink.NoSuchShopper;

    public async Task<bool> UnlinkLoyalty()
    {
        if (_shopper.State.Profile is { } profile)
        {
            await services.Lifecycle.UnlinkLoyaltyAsync(profile);
        }

        return _shopper.State.Profile is not null;
    }

    Task IShopperRows.StoreShopperAsync() => WriteShopperAsync();

    Task IShopperRows.StorePresenceAsync() => StorePresenceAsync();

    Task IShopperRows.FlushOutboxAsync() => Outboxes.FlushFeedbackAsync();

    // Without outboxes nothing was stored to send: they are made when a stored record holds events, or one is read.
    void IShopperRows.SendStoreEvents() => _outboxes?.SendEvents();

    private async Task StorePresenceAsync(CancellationToken cancellation = default)
    {
        await _presence.WriteAsync(services.Storage, PresenceState.Name, this.GetGrainId(), services.Logger, cancellation);
        _presenceUnstored = false;
    }

    /// <summary>The presence row, held: read again if it was let go.</summary>
    private async ValueTask<PresenceState> PresenceAsync()
    {
        if (_presence.State is null)
        {
            await _presence.ReadAsync(services.Storage, PresenceState.Name, this.GetGrainId(), services.Logger);
        }

        return _presence.State!;
    }

    /// <summary>
    /// The presence row for a read-only call: the held one, or, once it was let go, the stored one read for this call
    /// and not kept (read-only calls may interleave, and a trail asked of an idle shopper need not stay in memory).
    /// </summary>
    private async ValueTask<PresenceState> PresenceToReadAsync()
    {
        if (_presence.State is { } held)
        {
            return held;
        }

        var stored = new StoredRow<PresenceState>();
        await stored.ReadAsync(services.Storage, PresenceState.Name, this.GetGrainId(), services.Logger);
        return stored.State;
    }

    /// <summary>
    /// The visit has ended: the presence row is stored if sightings changed it since it was last stored, then let go.
    /// A store that fails keeps it held (the failure is logged by the row); it is stored with the next change.
    /// </summary>
    private async Task LetPresenceGoAsync()
    {
        if (_visit is not null || _presence.State is null)
        {
            return;
        }

        if (_presenceUnstored)
        {
            try
            {
                await StorePresenceAsync();
            }
            catch (OrleansException)
            {
                return;
            }
        }

        _presence.State = null;
    }

    /// <summary>Stores the shopper's record; the store events it holds are then durable and may be sent.</summary>
    private async Task WriteShopperAsync(CancellationToken cancellation = default)
    {
        services.EventLogs.Dropped(_shopper.State.TakeDroppedEvents());
        await _shopper.WriteAsync(services.Storage, ShopperState.Name, this.GetGrainId(), services.Logger, cancellation);
        if (_outboxes is not null || _shopper.State.StoreEvents().Count > 0)
        {
            Outboxes.Stored();
        }
    }

    /// <summary>Changes an enrolled shopper's profile and stores it; null if there is no such shopper.</summary>
    private async Task<ShopperProfile?> ChangeProfileAsync(Func<ShopperProfile, ShopperProfile> change, Func<ShopperProfile, Task>? before = null)
    {
        if (_shopper.State.Profile is not { } profile)
        {
            return null;
        }

        _shopper.State.Profile = SharedProfileParts.Share(change(profile));
        await (before?.Invoke(profile) ?? Task.CompletedTask);
        await WriteShopperAsync();
        return _shopper.State.Profile;
    }
}

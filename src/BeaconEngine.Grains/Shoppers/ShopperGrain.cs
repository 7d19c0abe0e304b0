using BeaconEngine.Contracts.Access;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Learning;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Selection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Shoppers;

internal sealed partial class ShopperGrain(
    [PersistentState("shopper", StorageNames.State)] IPersistentState<ShopperState> state,
    IStoreDirectory stores,
    IZoneResolverFactory resolvers,
    RedemptionModel model,
    ICouponPusher pusher,
    CouponCodeBook codes,
    SilenceWatch silence,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<ShopperGrain> logger) : Grain, IShopperGrain, IBudgetView
{
    private const int CodeLength = 10;

    // Closed or expired coupons stay in the wallet's history this long (per-shopper caps count separately).
    private static readonly TimeSpan ClosedCouponsKept = TimeSpan.FromDays(30);

    // After this long without a sighting, the next one starts a new visit.
    private static readonly TimeSpan NewVisitAfter = TimeSpan.FromHours(2);

    // Never added to: _events points here between calls, and at a buffer rented from
    // EventBuffers while a call that resolves zones runs, so an idle activation holds no buffer.
    private static readonly List<ProximityEvent> NoEvents = [];

    private List<ProximityEvent> _events = NoEvents;

    // Offers whose budget ran out, per catalog version; cleared when the catalog changes (created on first use).
    private HashSet<string>? _exhausted;
    private long _exhaustedVersion = -1;
    private IZoneResolver? _resolver;
    private long _resolverLayoutVersion = -1;

    // Wall-clock time of the last batch, and the event time the resolver had reached by then.
    private DateTimeOffset _lastBatchAt;
    private DateTimeOffset _lastSeenWritten = DateTimeOffset.MinValue;
    private DateTimeOffset? _eventTimeAtLastBatch;

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
        var received = CouponLatency.TakeReceived();
        if (state.State.Profile is not { Consent.Proximity: true } profile || sightings.Length == 0)
        {
            return 0;
        }

        var view = await stores.GetAsync(profile.StoreId);
        if (view is null)
        {
            return 0;
        }

        if (_resolver is null || _resolverLayoutVersion != view.LayoutVersion)
        {
            _resolver = resolvers.Create(view);
            _resolverLayoutVersion = view.LayoutVersion;
        }

        _events = EventBuffers.Rent();
        try
        {
            return await RecordAsync(view, _resolver, sightings, received);
        }
        finally
        {
            EventBuffers.Return(_events);
            _events = NoEvents;
        }
    }

    private async ValueTask<int> RecordAsync(StoreView view, IZoneResolver resolver, Sighting[] sightings, long? received)
    {
        foreach (var s in sightings)
        {
            resolver.Observe(new GatewayReading(s.GatewayId, s.ZoneId, s.Rssi, s.Timestamp, s.FromPhone), _events);
        }

        // A gateway's batch holds all it heard of its moments: weigh zone changes now.
        resolver.Settle(_events);
        _lastBatchAt = time.GetUtcNow();
        _eventTimeAtLastBatch = resolver.LastEventTime;
        WatchForSilence();

        var changed = CountVisit(sightings[^1].Timestamp) | ApplyEvents();
        await DecideStoreAndPushAsync(view, changed, received, default);
        ReportZone(view.StoreId, resolver.CurrentZoneId);
        return sightings.Length;
    }

    /// <summary>
    /// Acts on the zone events of this call: decides (when the store is known), stores the state if
    /// anything changed, and only then pushes a coupon, since the wallet holds it before any phone sees it.
    /// A coupon a gateway batch caused is timed from the batch's arrival (<paramref name="received"/>).
    /// </summary>
    private async Task DecideStoreAndPushAsync(StoreView? view, bool changed, long? received, CancellationToken cancellation)
    {
        Coupon? coupon = null;
        try
        {
            var decided = false;
            if (view is not null)
            {
                (coupon, decided) = await DecideAsync(view);
            }

            if (changed || decided)
            {
                try
                {
                    await state.WriteStateAsync(cancellation);
                }
                catch when (coupon is not null)
                {
                    // Not stored means not issued: the budget and the code go back.
                    await UndoAsync(coupon);
                    throw;
                }
            }
        }
        finally
        {
            _writing = null;
        }

        if (coupon is not null)
        {
            // The push does not wait for the results' books: they are told first and finish beside it.
            var counting = OnIssuedAsync(coupon);
            await PushAsync(coupon, received);
            await counting;
            await ConfirmAsync(coupon);
        }
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
            var now = time.GetUtcNow();
            state.State.Wallet[index] = coupon with { Status = CouponStatus.Delivered, AcknowledgedAt = now };
            state.State.Outbox.Add(new OfferFeedback(coupon.OfferId, CouponFeedback.Delivered, coupon.ExpiresAt, now));
            await state.WriteStateAsync();
            await FlushOutboxAsync();
            Track(Contracts.Analytics.OfferEventKind.Opened, coupon);
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
            state.State.LastDismissalAt = now;
            state.State.Learn(coupon, -1);
            if (coupon.Status == CouponStatus.Issued)
            {
                // A dismissal proves the phone received it.
                state.State.Outbox.Add(new OfferFeedback(coupon.OfferId, CouponFeedback.Delivered, coupon.ExpiresAt, now));
            }

            state.State.Outbox.Add(new OfferFeedback(coupon.OfferId, CouponFeedback.Dismissed, coupon.ExpiresAt, now));
            await state.WriteStateAsync();
            await LearnAsync(coupon, redeemed: false);
            await FlushOutboxAsync();
            Track(Contracts.Analytics.OfferEventKind.Dismissed, coupon);
        }

        return true;
    }

    public async Task MarkRedeemed(string couponId, DateTimeOffset at)
    {
        var index = FindCoupon(couponId);
        if (index >= 0 && state.State.Wallet[index].Status != CouponStatus.Redeemed)
        {
            var coupon = state.State.Wallet[index];
            state.State.Wallet[index] = coupon with { Status = CouponStatus.Redeemed, ClosedAt = at };
            state.State.Learn(coupon, +1);
            await state.WriteStateAsync();
            await LearnAsync(coupon, redeemed: true);
            Track(Contracts.Analytics.OfferEventKind.Redeemed, coupon);
        }
    }

    public Task<TrailEntry[]> GetTrail() => Task.FromResult(state.State.Trail.ToArray());

    public async Task<DecisionExplanation?> Explain(string zoneId, string trigger, TimeSpan dwell, DateTimeOffset at)
    {
        if (state.State.Profile is not { } profile || await stores.GetAsync(profile.StoreId) is not { } view)
        {
            return null;
        }

        var kind = Enum.Parse<OfferTrigger>(trigger, ignoreCase: true);
        var (decision, candidates) = OfferEngine.Explain(view.Catalog, new ZoneEvent(zoneId, kind, dwell, at), state.State, model, this);
        return new DecisionExplanation(
            Camel(decision.Kind.ToString()),
            decision.Offer?.OfferId,
            decision.BlockedBy == Exclusion.None ? null : Camel(decision.BlockedBy.ToString()),
            [.. candidates.Select(c => new ExplainedOffer(
                c.OfferId,
                c.Exclusion == Exclusion.None ? "chosen" : Camel(c.Exclusion.ToString()),
                c.Score,
                c.RedemptionChance))]);

        static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
    }

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

            // Confirmed reservations are settled in the offer's memory first; its stored ledger may still name the shopper.
            await GrainFactory.GetGrain<IOfferGrain>(coupon.OfferId).SettleForErasure(coupon.CouponId);
        }

        await ForgetEngagementAsync(s.Profile);
        await GrainFactory.GetGrain<IBeaconIdentityGrain>(s.Profile.Advertisement.Key).Release();
        if (s.TokenHash is not null)
        {
            await GrainFactory.GetGrain<IAccessKeyGrain>(s.TokenHash).Revoke();
        }

        await state.ClearStateAsync();
        state.State = new ShopperState();
        _resolver = null;
        silence.Forget(ShopperId);
        DeactivateOnIdle();
    }

    /// <summary>Keeps a shopper who is in a zone under the node's watch for silence (see <see cref="CheckSilence"/>).</summary>
    private void WatchForSilence()
    {
        if (_resolver?.CurrentZoneId is not null)
        {
            silence.Heard(ShopperId);
        }
    }

    /// <summary>
    /// With no batch for a while, event time is taken to have moved on as far as the wall clock has, so a
    /// shopper who left the store is exited.
    /// </summary>
    public async Task CheckSilence()
    {
        var quiet = time.GetUtcNow() - _lastBatchAt;
        if (_resolver is { CurrentZoneId: not null } resolver && _eventTimeAtLastBatch is { } eventTime && quiet >= SilenceWatch.Period
            && state.State.Profile is { } profile)
        {
            _events = EventBuffers.Rent();
            try
            {
                resolver.Advance(eventTime + quiet, _events);
                if (ApplyEvents())
                {
                    // Leaving by going out of range is leaving too: exit offers may answer it.
                    await DecideStoreAndPushAsync(await stores.GetAsync(profile.StoreId), changed: true, received: null, default);
                }

                ReportZone(profile.StoreId, resolver.CurrentZoneId);
            }
            finally
            {
                EventBuffers.Return(_events);
                _events = NoEvents;
            }
        }

        if (_resolver?.CurrentZoneId is null)
        {
            silence.Forget(ShopperId);

            // Out of every zone and every gateway forgotten: a new resolver would be the same, so the
            // idle activation does not keep this one.
            if (_resolver is { TrackedGateways: 0 })
            {
                _resolver = null;
            }
        }
    }

    /// <summary>The phone's region exit: the shopper is out of their zone at once (exit offers may answer it).</summary>
    public async Task LeaveStore(DateTimeOffset at)
    {
        if (_resolver is { } resolver && state.State.Profile is { } profile)
        {
            _events = EventBuffers.Rent();
            try
            {
                resolver.LeaveStore(at, _events);
                if (ApplyEvents())
                {
                    await DecideStoreAndPushAsync(await stores.GetAsync(profile.StoreId), changed: true, received: null, default);
                }

                ReportZone(profile.StoreId, resolver.CurrentZoneId);
            }
            finally
            {
                EventBuffers.Return(_events);
                _events = NoEvents;
            }
        }

        silence.Forget(ShopperId);
    }

    /// <summary>Writes zone entries and exits into the trail; dwell ticks leave it as it is.</summary>
    private bool ApplyEvents()
    {
        var trail = state.State.Trail;
        var changed = false;
        foreach (var e in _events)
        {
            switch (e.Kind)
            {
                case ProximityEventKind.Entered:
                    Open(trail, e.ZoneId, e.At, e.PhoneOnly);
                    changed = true;
                    break;

                case ProximityEventKind.Exited:
                    Open(trail, null, e.At);
                    changed = true;
                    break;
            }
        }

        if (trail is [.., { PhoneOnly: true, ExitedAt: null } open] && _resolver is { IsPhoneOnly: false } resolver && resolver.CurrentZoneId == open.ZoneId)
        {
            // A gateway of the zone heard the shopper after all: the stay is confirmed.
            trail[^1] = open with { PhoneOnly = false };
            changed = true;
        }

        var excess = trail.Count - options.Value.MaxTrailEntries;
        if (excess > 0)
        {
            trail.RemoveRange(0, excess);
        }

        return changed;
    }

    /// <summary>Closes the open stay at <paramref name="at"/> and opens one in <paramref name="zoneId"/> (null: in no zone).</summary>
    private static void Open(List<TrailEntry> trail, string? zoneId, DateTimeOffset at, bool phoneOnly = false)
    {
        if (trail.Count > 0 && trail[^1].ExitedAt is null)
        {
            if (trail[^1].EnteredAt == at && (trail[^1].ZoneId is null || zoneId is not null))
            {
                // An exit and an entry at the same moment: no stay in between. A zone stay that ends at
                // the moment it began is kept, though: the shopper was placed there (at their last
                // sighting, say) and offers may have answered it.
                trail.RemoveAt(trail.Count - 1);
            }
            else
            {
                trail[^1] = trail[^1] with { ExitedAt = at };
            }
        }

        if (trail.Count > 0 && trail[^1].ZoneId == zoneId && trail[^1].ExitedAt == at)
        {
            // Back where the previous stay was, at the moment it ended: it simply continues.
            trail[^1] = trail[^1] with { ExitedAt = null, PhoneOnly = trail[^1].PhoneOnly && phoneOnly };
            return;
        }

        if (zoneId is null && trail.Count == 0)
        {
            return;
        }

        trail.Add(new TrailEntry(zoneId, at, null, zoneId is not null && phoneOnly));
    }

    /// <summary>Whether the offer's budget is known to be spent (from a failed reservation under this catalog).</summary>
    public bool IsSpent(string offerId) => _exhausted?.Contains(offerId) == true;

    /// <summary>
    /// Counts a new visit after a long absence, and keeps the last sighting's time; it is worth a write
    /// at least once a minute of event time, so a restart neither counts the same visit twice nor loses
    /// where an open stay ended.
    /// </summary>
    private bool CountVisit(DateTimeOffset at)
    {
        var s = state.State;
        var newVisit = s.LastSeenAt is not { } last || at - last > NewVisitAfter;
        if (s.LastSeenAt is null || at > s.LastSeenAt)
        {
            s.LastSeenAt = at;
        }

        if (newVisit)
        {
            s.VisitCount++;
        }

        var due = at - _lastSeenWritten >= TimeSpan.FromMinutes(1);
        if (newVisit || due)
        {
            _lastSeenWritten = at;
        }

        return newVisit || due;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A stay left open means the resolver that held it was lost (a restart): it ended when the
        // shopper was last seen, and a new one begins with the next sightings.
        var trail = state.State.Trail;
        if (trail.Count > 0 && trail[^1] is { ZoneId: not null, ExitedAt: null } open)
        {
            // Closed explicitly (not through Open): a placement at the very last sighting still happened.
            var at = state.State.LastSeenAt is { } seen && seen > open.EnteredAt ? seen : open.EnteredAt;
            trail[^1] = open with { ExitedAt = at };
            trail.Add(new TrailEntry(null, at, null));
            await state.WriteStateAsync(cancellationToken);
        }

        _lastSeenWritten = state.State.LastSeenAt ?? DateTimeOffset.MinValue;
        ResumeOutbox();
        await base.OnActivateAsync(cancellationToken);
    }

    private async Task UndoAsync(Coupon coupon)
    {
        state.State.Wallet.Remove(coupon);
        state.State.CouponsPerOffer[coupon.OfferId] = Math.Max(0, state.State.CouponsReceived(coupon.OfferId) - 1);
        state.State.LastCouponAt = state.State.Wallet.Count == 0 ? null : state.State.Wallet.Max(c => c.IssuedAt);
        await GrainFactory.GetGrain<IOfferGrain>(coupon.OfferId).Release(coupon.CouponId);
        await GrainFactory.GetGrain<ICouponCodeGrain>(coupon.Code).Remove();
    }

    /// <summary>
    /// Asks the rules core about this batch's moments (zones entered or left, and the dwell in the
    /// current zone) and acts on the first decision: a coupon, or a place in an offer's control group.
    /// Returns the coupon, and whether anything was decided that must be stored.
    /// </summary>
    private async Task<(Coupon? Coupon, bool Decided)> DecideAsync(StoreView view)
    {
        if (_resolver is not { LastEventTime: { } at } resolver || time.GetUtcNow() - at > options.Value.MaxTriggerAge || InQuietHours(view))
        {
            return (null, false);
        }

        if (_exhaustedVersion != view.Version)
        {
            _exhausted?.Clear();
            _exhaustedVersion = view.Version;
        }

        // A coupon for the wrong aisle is worse than none: an entry or a stay weighs offers only while
        // its zone is probable enough. Leaving is certain whatever the zone was.
        var minConfidence = view.ResolverOptions.MinConfidence;
        foreach (var e in _events)
        {
            if (e.Kind == ProximityEventKind.Exited || (e.Kind == ProximityEventKind.Entered && e.Confidence >= minConfidence))
            {
                var trigger = e.Kind == ProximityEventKind.Entered ? OfferTrigger.Enter : OfferTrigger.Exit;
                var outcome = await DecideAsync(view, new ZoneEvent(e.ZoneId, trigger, e.Dwell, e.At, time.GetUtcNow(), e.PhoneOnly));
                if (outcome.Decided)
                {
                    return outcome;
                }
            }
        }

        return resolver is { CurrentZoneId: { } zoneId, EnteredAt: { } enteredAt } && resolver.Confidence >= minConfidence
            ? await DecideAsync(view, new ZoneEvent(zoneId, OfferTrigger.Dwell, at - enteredAt, at, time.GetUtcNow(), resolver.IsPhoneOnly))
            : (null, false);
    }

    private async Task<(Coupon? Coupon, bool Decided)> DecideAsync(StoreView view, ZoneEvent zoneEvent)
    {
        // A spent budget is learnt by trying; then the offer is left out and the next best is weighed.
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var decision = OfferEngine.Decide(view.Catalog, zoneEvent, state.State, model, this);
            if (decision.Offer is not { } offer || !view.Offers.TryGetValue(offer.OfferId, out var definition))
            {
                return (null, false);
            }

            TrackTriggered(offer.OfferId, zoneEvent.ZoneId);
            var offerGrain = GrainFactory.GetGrain<IOfferGrain>(offer.OfferId);
            if (decision.Kind == DecisionKind.Holdout)
            {
                if (await offerGrain.RecordHoldout())
                {
                    await OnHeldOutAsync(definition, zoneEvent.ZoneId);
                    state.State.HeldOut.Add(offer.OfferId);
                    return (null, true);
                }

                (_exhausted ??= new(StringComparer.Ordinal)).Add(offer.OfferId);
                continue;
            }

            // The coupon's id goes with the reservation, so an unconfirmed one can be checked against the wallet.
            var now = time.GetUtcNow();
            var reservation = new CouponReservation(Ids.New("cpn"), ShopperId, now.AddMinutes(definition.CouponTtlMinutes));
            _writing = reservation.CouponId;

            // The budget and the till's code are stored side by side, both before the wallet: a wallet
            // never holds a coupon whose unit or code is missing. A code stored for a unit that was not
            // to be had is taken back; one left by a crash in between names a coupon no one was given.
            var ticket = new CouponTicket(definition.StoreId, ShopperId, reservation.CouponId, offer.OfferId, reservation.ExpiresAt);
            var code = Ids.Random(CodeLength);
            var reserving = offerGrain.TryReserve(reservation);
            var filing = codes.TryFileAsync(code, ticket);
            await Task.WhenAll(reserving, filing);
            if (reserving.Result)
            {
                while (!filing.Result)
                {
                    code = Ids.Random(CodeLength);
                    filing = codes.TryFileAsync(code, ticket);
                    await filing;
                }

                return (Issue(definition, zoneEvent.ZoneId, now, reservation, code), true);
            }

            if (filing.Result)
            {
                await GrainFactory.GetGrain<ICouponCodeGrain>(code).Remove();
            }

            _writing = null;
            (_exhausted ??= new(StringComparer.Ordinal)).Add(offer.OfferId);
        }

        return (null, false);
    }

    private Coupon Issue(OfferDefinition offer, string zoneId, DateTimeOffset now, CouponReservation reservation, string code)
    {
        var (couponId, expiresAt) = (reservation.CouponId, reservation.ExpiresAt);
        var coupon = new Coupon
        {
            CouponId = couponId,
            OfferId = offer.OfferId,
            BrandId = offer.BrandId,
            Title = offer.Title,
            Description = offer.Description,
            DiscountKind = offer.DiscountKind,
            DiscountValue = offer.DiscountValue,
            Category = offer.Category,
            ZoneId = zoneId,
            Code = code,
            IssuedAt = now,
            ExpiresAt = expiresAt,
            Status = CouponStatus.Issued,
        };
        state.State.Receive(coupon, ClosedCouponsKept);
        return coupon;
    }

    private async Task PushAsync(Coupon coupon, long? received)
    {
        // The last step of a batch's trace: the span sits under the grain call that decided the coupon.
        using var activity = EngineTelemetry.Source.StartActivity("push coupon", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("beaconengine.coupon.id", coupon.CouponId);
        activity?.SetTag("beaconengine.offer.id", coupon.OfferId);
        try
        {
            var pushing = pusher.PushAsync(ShopperId, coupon);
            if (received is { } arrival)
            {
                ServiceProvider.GetRequiredService<CouponLatency>().Pushed(arrival);
            }

            await pushing;
        }
        catch (Exception ex)
        {
            // Stored already; the app gets it again when it reconnects.
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            LogPushFailed(logger, ex, coupon.CouponId, ShopperId);
        }
    }

    /// <summary>Feeds an outcome to this silo's model at once and to the store's durable counts.</summary>
    private async Task LearnAsync(Coupon coupon, bool redeemed)
    {
        model.Record(coupon.OfferId, state.State.PrimarySegment, redeemed);
        if (state.State.Profile is { } profile)
        {
            await GrainFactory.GetGrain<IOfferLearningGrain>(profile.StoreId).Record(coupon.OfferId, state.State.PrimarySegment, redeemed);
        }
    }

    private int FindCoupon(string couponId) => state.State.Wallet.FindIndex(c => c.CouponId == couponId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of coupon {CouponId} to shopper {ShopperId} failed; it stays in the wallet for redelivery")]
    private static partial void LogPushFailed(ILogger logger, Exception ex, string couponId, string shopperId);
}

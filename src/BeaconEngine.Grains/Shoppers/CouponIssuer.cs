using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Events;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Learning;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Selection;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// Decides on a shopper's moments and issues the coupon. The protocol: the offer's budget unit is reserved
/// (stored) and the till's code drawn side by side (a sealed code stores nothing), both before the wallet; then the wallet is stored, and
/// only then is the coupon pushed and its reservation confirmed; if the wallet write fails, the unit and
/// the code go back. A wallet therefore never holds a coupon whose unit or code is missing, and a unit
/// whose coupon never reached a wallet (a crash in between) is given back: the offer asks the shopper,
/// who answers from <see cref="Writing"/> and the wallet.
/// </summary>
internal sealed partial class CouponIssuer(CouponIssuing ports) : IBudgetView
{
    // A spent budget is learnt by trying; then the offer is left out and the next best is weighed.
    private const int Attempts = 4;

    // Offers whose budget ran out, per catalog version; cleared when the catalog changes (created on first use).
    private HashSet<string>? _exhausted;
    private long _exhaustedVersion = -1;

    /// <summary>The coupon reserved whose wallet write has not finished yet.</summary>
    public string? Writing { get; private set; }

    /// <summary>Whether the offer's budget is known to be spent (from a failed reservation under this catalog).</summary>
    public bool IsSpent(string offerId) => _exhausted?.Contains(offerId) == true;

    /// <summary>
    /// Decides on one call's moments and, for a coupon, runs the protocol above; <paramref name="storeShopper"/>
    /// stores <paramref name="shopper"/> (the wallet), and is called whenever anything was decided.
    /// </summary>
    public async Task IssueAsync(
        string shopperId, StoreView view, IZoneResolver resolver, List<ProximityEvent> events, ShopperState shopper, PresenceState presence,
        Func<Task> storeShopper, long? batchReceived)
    {
        CouponLatency.Mark(CouponStage.Presence);
        var (coupon, decided) = await DecideAsync(shopperId, view, resolver, events, shopper, presence);
        CouponLatency.Mark(CouponStage.Reserved);
        try
        {
            if (decided)
            {
                // The decision's event (issued or heldOut) is in the shopper's outbox and rides this write.
                await storeShopper();
                CouponLatency.Mark(CouponStage.Stored);
            }
        }
        catch when (coupon is not null)
        {
            await UndoAsync(coupon, shopper);
            throw;
        }
        finally
        {
            Writing = null;
        }

        if (coupon is not null)
        {
            // The push first: the results' books are told one-way after it, and the confirmation is one-way too.
            // The store's log is sent the event after all this (the caller starts it), off the coupon's path.
            await ports.Delivery.DeliverAsync(shopperId, coupon, batchReceived);
            ports.Results.Issued(shopperId, view.StoreId, coupon);
            await ConfirmAsync(coupon);
        }
    }

    /// <summary>
    /// Asks the rules core about one call's moments (zones entered or left, and the dwell in the current
    /// zone) and acts on the first decision: a coupon, reserved, filed and put in the wallet in memory, or a
    /// place in an offer's control group. Decided says whether the shopper's state must be stored.
    /// </summary>
    internal async Task<(Coupon? Coupon, bool Decided)> DecideAsync(
        string shopperId, StoreView view, IZoneResolver resolver, List<ProximityEvent> events, ShopperState shopper, PresenceState presence)
    {
        var now = ports.Time.GetUtcNow();
        if (resolver.LastEventTime is not { } at || now - at > ports.Options.MaxTriggerAge
            || QuietHours.Hold(shopper.Profile?.Preferences, view.TimeZone, now))
        {
            return (null, false);
        }

        if (_exhaustedVersion != view.Version)
        {
            _exhausted?.Clear();
            _exhaustedVersion = view.Version;
        }

        // A coupon for the wrong aisle is worse than none: an entry or a stay weighs offers only while
        // its zone is probable enough. Leaving is certain whatever the zone was. The zone's probability is
        // worked out only for a zone that has offers for the moment (most zones of most batches have none).
        var facts = new ShopperFacts(shopper, presence);
        var minConfidence = view.ResolverOptions.MinConfidence;
        foreach (var e in events)
        {
            if (e.Kind == ProximityEventKind.Exited
                || (e.Kind == ProximityEventKind.Entered && HasOffers(view, e.ZoneId, OfferTrigger.Enter) && EntryConfidence(e, resolver) >= minConfidence))
            {
                var trigger = e.Kind == ProximityEventKind.Entered ? OfferTrigger.Enter : OfferTrigger.Exit;
                var outcome = await DecideAsync(shopperId, view, new ZoneEvent(e.ZoneId, trigger, e.Dwell, e.At, ports.Time.GetUtcNow(), e.PhoneOnly), shopper, facts);
                if (outcome.Decided)
                {
                    return outcome;
                }
            }
        }

        return resolver is { CurrentZoneId: { } zoneId, EnteredAt: { } enteredAt } && HasOffers(view, zoneId, OfferTrigger.Dwell)
            && resolver.Confidence >= minConfidence
            ? await DecideAsync(shopperId, view, new ZoneEvent(zoneId, OfferTrigger.Dwell, at - enteredAt, at, ports.Time.GetUtcNow(), resolver.IsPhoneOnly), shopper, facts)
            : (null, false);
    }

    private static bool HasOffers(StoreView view, string zoneId, OfferTrigger trigger) => !view.Catalog.Candidates(zoneId, trigger).IsEmpty;

    /// <summary>
    /// How probable an entry's zone is as the offers weigh it: an entry is placed once the zone leads by the switch
    /// margin, often short of <c>minConfidence</c>; if the shopper is still there once the whole batch is weighed,
    /// the zone's confidence now counts (the resolver's, on everything heard so far).
    /// </summary>
    private static double EntryConfidence(ProximityEvent entry, IZoneResolver resolver) =>
        resolver.CurrentZoneId == entry.ZoneId ? Math.Max(entry.Confidence, resolver.Confidence) : entry.Confidence;

    /// <summary>Not stored means not issued: the coupon leaves the wallet, and the budget and the code go back.</summary>
    private async Task UndoAsync(Coupon coupon, ShopperState shopper)
    {
        new ShopperWallet(shopper).Undo(coupon);
        await ports.Offers.ReleaseAsync(coupon.OfferId, coupon.CouponId);
        await ports.Codes.RemoveAsync(coupon.Code);
    }

    /// <summary>Settles the coupon's budget reservation; if this fails, the offer asks the wallet later.</summary>
    private async Task ConfirmAsync(Coupon coupon)
    {
        try
        {
            await ports.Offers.ConfirmAsync(coupon.OfferId, coupon.CouponId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConfirmFailed(ports.Logger, ex, coupon.CouponId);
        }
    }

    /// <summary>What the rules would decide at <paramref name="zoneEvent"/>, and why.</summary>
    public DecisionExplanation Explain(StoreView view, ZoneEvent zoneEvent, ShopperState shopper, PresenceState presence)
    {
        var (decision, candidates) = OfferEngine.Explain(view.Catalog, zoneEvent, new ShopperFacts(shopper, presence), ports.Model, this);
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

    private async Task<(Coupon? Coupon, bool Decided)> DecideAsync(
        string shopperId, StoreView view, ZoneEvent zoneEvent, ShopperState shopper, IShopperFacts facts)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var decision = OfferEngine.Decide(view.Catalog, zoneEvent, facts, ports.Model, this);
            if (decision.Offer is not { } offer || !view.Offers.TryGetValue(offer.OfferId, out var definition))
            {
                return (null, false);
            }

            ports.Results.Triggered(offer.OfferId, zoneEvent.ZoneId);
            if (decision.Kind == DecisionKind.Holdout)
            {
                if (await ports.Offers.IsLiveAsync(offer.OfferId))
                {
                    var now = ports.Time.GetUtcNow();
                    ports.Results.HeldOut(shopperId, offer.OfferId, zoneEvent.ZoneId, now);
                    shopper.Expose(new OfferExposure(offer.OfferId, definition.BrandId, Treated: false, now));
                    shopper.RecordEvent(StoreEventFeed.HeldOut(definition, zoneEvent.ZoneId, now));
                    return (null, true);
                }

                Spent(offer.OfferId);
                continue;
            }

            if (await TryReserveAndFileAsync(shopperId, definition, shopper) is { } reserved)
            {
                var coupon = NewCoupon(definition, zoneEvent.ZoneId, reserved.Now, reserved.Reservation, reserved.Code);
                new ShopperWallet(shopper).Receive(coupon);
                shopper.RecordEvent(StoreEventFeed.Issued(coupon));
                return (coupon, true);
            }

            Spent(offer.OfferId);
        }

        return (null, false);
    }

    /// <summary>
    /// Reserves the budget and draws the code side by side, both settled before the wallet. A sealed code stores
    /// nothing (it carries the shopper, whose wallet is the code's record); a filed one is stored, and taken back if
    /// the unit was not to be had; one left by a crash in between names a coupon no one was given.
    /// </summary>
    private async Task<(DateTimeOffset Now, CouponReservation Reservation, string Code)?> TryReserveAndFileAsync(
        string shopperId, OfferDefinition offer, ShopperState shopper)
    {
        // The coupon's id goes with the reservation, so an unconfirmed one can be checked against the wallet.
        var now = ports.Time.GetUtcNow();
        var reservation = new CouponReservation(Ids.New("cpn"), shopperId, now.AddMinutes(offer.CouponTtlMinutes));
        Writing = reservation.CouponId;
        var ticket = new CouponTicket(offer.StoreId, shopperId, reservation.CouponId, offer.OfferId, reservation.ExpiresAt);
        var reserving = ports.Offers.TryReserveAsync(offer.OfferId, reservation);
        var filing = ports.Codes.TryIssueAsync(ticket);
        await Task.WhenAll(reserving, filing);
        if (reserving.Result is { } reserved)
        {
            // A taken code (filed) or one the wallet already holds (sealed: 16 random bits a shopper) is drawn again.
            var code = filing.Result;
            while (code is null || shopper.Wallet.Exists(c => c.Code == code))
            {
                code = await ports.Codes.TryIssueAsync(ticket);
            }

            return (now, reserved, code);
        }

        if (filing.Result is { } filed)
        {
            await ports.Codes.RemoveAsync(filed);
        }

        Writing = null;
        return null;
    }

    private void Spent(string offerId) => (_exhausted ??= new(StringComparer.Ordinal)).Add(offerId);

    private static Coupon NewCoupon(OfferDefinition offer, string zoneId, DateTimeOffset now, CouponReservation reservation, string code) => new()
    {
        CouponId = reservation.CouponId,
        Ordinal = reservation.Ordinal,
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
        ExpiresAt = reservation.ExpiresAt,
        Status = CouponStatus.Issued,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm coupon {CouponId} to its offer; the offer will ask the wallet")]
    private static partial void LogConfirmFailed(ILogger logger, Exception ex, string couponId);
}

/// <summary>
/// What every shopper's <see cref="CouponIssuer"/> on a node shares (one instance per node), so a placed shopper's
/// issuer holds one reference.
/// </summary>
internal sealed record CouponIssuing(
    IOfferBooks Offers, ICouponCodes Codes, IShopperResults Results, ICouponDelivery Delivery, RedemptionModel Model,
    TimeProvider Time, EngineOptions Options, ILogger Logger);

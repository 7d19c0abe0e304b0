using System.Globalization;
using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Offers;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// An offer's results. Events arrive several times per coupon and the state holds every shopper in the
/// offer's groups, so it is not stored per event: it is stored behind (<see cref="WriteBehind"/>), at most
/// once a second after a change, and when the activation ends. Reports read memory, so they
/// are always current; a crash of the process forgets at most the last second's events. Budgets and
/// wallets are not kept here and stay exact. The coupons' delivered and dismissed counts are the exception:
/// they come from the shoppers' outboxes, once per coupon, and are stored in a row of their own
/// (<see cref="OfferFeedbackState"/>) before they are answered, so they are exact too.
/// </summary>
internal sealed partial class OfferAnalyticsGrain(
    [PersistentState("offerAnalytics", StorageNames.State)] IPersistentState<OfferAnalyticsState> state,
    [PersistentState("offerFeedback", StorageNames.State)] IPersistentState<OfferFeedbackState> feedback,
    TimeProvider time,
    ILogger<OfferAnalyticsGrain> logger) : Grain, IOfferAnalyticsGrain
{
    private static readonly int KindCount = Enum.GetValues<OfferEventKind>().Length;

    private WriteBehind? _writeBehind;

    private WriteBehind Stored => _writeBehind ??= new WriteBehind(this, state, logger);

    public Task Record(OfferEvent e)
    {
        var s = state.State;
        Count(s.Counts, e.Kind, e.ZoneId, e.At);
        switch (e.Kind)
        {
            case OfferEventKind.Issued:
                if (e.CouponId is { } couponId && e.ExpiresAt is { } expiresAt)
                {
                    s.OpenCoupons[couponId] = new OpenCoupon(e.ZoneId, expiresAt);
                }

                Join(e.ShopperKey, treated: true, e.At);
                break;
            case OfferEventKind.HeldOut:
                Join(e.ShopperKey, treated: false, e.At);
                break;
            case OfferEventKind.Dismissed or OfferEventKind.NotRelevant or OfferEventKind.Redeemed:
                if (e.CouponId is { } closed)
                {
                    s.OpenCoupons.Remove(closed);
                }

                break;
        }

        MoveExpired(time.GetUtcNow());
        Stored.Changed();
        return Task.CompletedTask;
    }

    public async Task RecordFeedback(CouponFeedback kind, long ordinal)
    {
        await TakeOverLedgerAsync();
        if (feedback.State.Count(kind, ordinal) is not { } undo)
        {
            return;
        }

        try
        {
            await feedback.WriteStateAsync();
        }
        catch
        {
            // Not stored means not counted: the shopper's outbox sends it again.
            undo();
            throw;
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await TakeOverLedgerAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next feedback tries again before it counts.
            LogNotTakenOver(logger, ex, this.GetPrimaryKeyString());
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>
    /// Once per offer: adds the delivered and dismissed counts that its ledger kept before they were counted
    /// here (stored by an older version), then lets the ledger forget them.
    /// </summary>
    private async Task TakeOverLedgerAsync()
    {
        var f = feedback.State;
        if (f.LedgerTakenOver)
        {
            return;
        }

        var ledger = GrainFactory.GetGrain<IOfferGrain>(this.GetPrimaryKeyString());
        if (await ledger.GetLedgerFeedback() is not { } counted)
        {
            // Nothing to take over (an offer created since): marked in memory, stored with the first feedback.
            f.LedgerTakenOver = true;
            return;
        }

        var before = (f.Delivered, f.Dismissed, f.DeliveredCounted, f.DismissedCounted, f.RedeemedAfterDismissal);
        f.TakeOver(counted);
        try
        {
            await feedback.WriteStateAsync();
        }
        catch
        {
            (f.Delivered, f.Dismissed, f.DeliveredCounted, f.DismissedCounted, f.RedeemedAfterDismissal) = before;
            f.LedgerTakenOver = false;
            throw;
        }

        try
        {
            await ledger.ForgetLedgerFeedback();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Harmless: taken over is stored here, so the ledger's copy is never read again.
            LogNotForgotten(logger, ex, this.GetPrimaryKeyString());
        }
    }

    public async Task<bool> RecordBasket(string shopperKey, DateTimeOffset at, decimal brandSpend)
    {
        if (!state.State.Members.TryGetValue(shopperKey, out var member) || at < member.Since)
        {
            return false;
        }

        state.State.Members[shopperKey] = member with { Bought = true, Spent = member.Spent + brandSpend };
        await state.WriteStateAsync();
        return !member.Bought;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Stored.StoreBeforeEndingAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<OfferReport> GetReport(DateTimeOffset now)
    {
        var s = state.State;
        var expired = new Dictionary<string, long>(s.Expired, StringComparer.Ordinal);
        foreach (var coupon in s.OpenCoupons.Values)
        {
            if (coupon.ExpiresAt <= now)
            {
                Count(expired, null, coupon.ZoneId, coupon.ExpiresAt);
            }
        }

        var total = new long[KindCount + 1];
        var byZone = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var byHour = new SortedDictionary<DateTimeOffset, long[]>();
        Spread(s.Counts, total, byZone, byHour);
        Spread(expired, total, byZone, byHour);

        long treated = 0, treatedBuyers = 0, control = 0, controlBuyers = 0;
        double treatedSpend = 0, treatedSquares = 0, controlSpend = 0, controlSquares = 0;
        foreach (var member in s.Members.Values)
        {
            var spent = (double)member.Spent;
            if (member.Treated)
            {
                treated++;
                treatedBuyers += member.Bought ? 1 : 0;
                treatedSpend += spent;
                treatedSquares += spent * spent;
            }
            else
            {
                control++;
                controlBuyers += member.Bought ? 1 : 0;
                controlSpend += spent;
                controlSquares += spent * spent;
            }
        }

        return Task.FromResult(new OfferReport(
            ToCounts(total),
            byZone.ToDictionary(z => z.Key, z => ToCounts(z.Value), StringComparer.Ordinal),
            new SortedDictionary<DateTimeOffset, CountsByKind>(byHour.ToDictionary(h => h.Key, h => ToCounts(h.Value))),
            treated,
            treatedBuyers,
            control,
            controlBuyers,
            treatedSpend,
            treatedSquares,
            controlSpend,
            controlSquares,
            feedback.State.Delivered,
            feedback.State.Dismissed));
    }

    /// <summary>The first group a shopper joins is theirs: the rules keep a held-out shopper held out.</summary>
    private void Join(string? shopperKey, bool treated, DateTimeOffset at)
    {
        if (shopperKey is not null && !state.State.Members.ContainsKey(shopperKey))
        {
            state.State.Members[shopperKey] = new GroupMember(treated, at, false, 0);
        }
    }

    /// <summary>Keeps the open coupons to those that can still expire, so the state does not grow with history.</summary>
    private void MoveExpired(DateTimeOffset now)
    {
        var s = state.State;
        List<string>? gone = null;
        foreach (var (couponId, coupon) in s.OpenCoupons)
        {
            if (coupon.ExpiresAt <= now)
            {
                Count(s.Expired, null, coupon.ZoneId, coupon.ExpiresAt);
                (gone ??= []).Add(couponId);
            }
        }

        gone?.ForEach(id => s.OpenCoupons.Remove(id));
    }

    private static void Count(Dictionary<string, long> counts, OfferEventKind? kind, string zoneId, DateTimeOffset at)
    {
        var hour = at.ToUnixTimeSeconds() / 3600 * 3600;
        var key = string.Create(CultureInfo.InvariantCulture, $"{(kind is { } k ? (int)k : KindCount)}|{zoneId}|{hour}");
        counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    private static void Spread(Dictionary<string, long> counts, long[] total, Dictionary<string, long[]> byZone, SortedDictionary<DateTimeOffset, long[]> byHour)
    {
        foreach (var (key, count) in counts)
        {
            // The zone id may not contain '|' (ids are letters, digits, '.', '_', ':' and '-').
            var parts = key.Split('|');
            var kind = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var hour = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[2], CultureInfo.InvariantCulture));
            total[kind] += count;
            (byZone.TryGetValue(parts[1], out var zone) ? zone : byZone[parts[1]] = new long[KindCount + 1])[kind] += count;
            (byHour.TryGetValue(hour, out var h) ? h : byHour[hour] = new long[KindCount + 1])[kind] += count;
        }
    }

    private static CountsByKind ToCounts(long[] c) => new(
        c[(int)OfferEventKind.Triggered],
        c[(int)OfferEventKind.HeldOut],
        c[(int)OfferEventKind.Issued],
        c[(int)OfferEventKind.Opened],
        c[(int)OfferEventKind.Dismissed],
        c[(int)OfferEventKind.NotRelevant],
        c[(int)OfferEventKind.Redeemed],
        c[KindCount]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offer {OfferId}: the counts its ledger kept could not be taken over yet; the next feedback tries again")]
    private static partial void LogNotTakenOver(ILogger logger, Exception ex, string offerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offer {OfferId}: its ledger could not forget the counts taken over from it")]
    private static partial void LogNotForgotten(ILogger logger, Exception ex, string offerId);
}

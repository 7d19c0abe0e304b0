namespace BeaconEngine.Rules.Offers;

/// <summary>
/// An offer flattened for evaluation: every condition is a field compared against the shopper and the
/// event, in the order of how often it excludes, so a check allocates nothing and stops early.
/// </summary>
public sealed class CompiledOffer
{
    internal CompiledOffer(Offer offer, decimal referenceBasket)
    {
        Offer = offer;
        OfferId = offer.OfferId;
        BrandId = offer.BrandId;
        Category = offer.Category;
        MinDwellTicks = offer.MinDwell.Ticks;
        ValidFromTicks = offer.ValidFrom?.UtcTicks ?? long.MinValue;
        ValidToTicks = offer.ValidTo?.UtcTicks ?? long.MaxValue;
        if (offer.Schedule is { } schedule)
        {
            DayMask = schedule.Days.Count == 0 ? AllDays : (byte)schedule.Days.Aggregate(0, (mask, day) => mask | (1 << (int)day));
            FromMinute = schedule.From is { } from ? (from.Hour * 60) + from.Minute : 0;
            ToMinute = schedule.To is { } to ? (to.Hour * 60) + to.Minute : MinutesPerDay;
        }
        else
        {
            DayMask = AllDays;
            FromMinute = 0;
            ToMinute = MinutesPerDay;
        }

        var audience = offer.Audience;
        Segments = [.. audience?.Segments ?? []];
        LoyaltyTiers = [.. audience?.LoyaltyTiers ?? []];
        MinVisits = audience?.MinVisits ?? 0;
        MaxVisits = audience?.MaxVisits ?? int.MaxValue;
        Visitors = audience?.Visitors ?? VisitorKind.Any;
        RequiresInterest = audience?.RequiresInterest == true && Category is not null;
        RequiresGatewayPresence = offer.RequiresGatewayPresence;
        MaxPerShopper = offer.MaxPerShopper;
        CapCouponsToday = offer.Caps?.MaxCouponsToday ?? int.MaxValue;
        CapMinGapTicks = offer.Caps?.MinGap?.Ticks ?? 0;
        CapQuietTicks = offer.Caps?.QuietAfterDismissal?.Ticks ?? 0;
        Priority = offer.Priority;
        Value = (double)(offer.Discount.Kind == DiscountKind.Percent ? offer.Discount.Value / 100m * referenceBasket : offer.Discount.Value);

        Worth = Value * Priority;
        DrawKey = Learning.SplitMix64.Hash(OfferId);

        // The share as a threshold on a 32-bit hash, so assignment is one comparison.
        HoldoutThreshold = (uint)Math.Clamp(offer.HoldoutShare * 4294967296.0, 0, uint.MaxValue);
    }

    internal const byte AllDays = 0x7F;
    internal const int MinutesPerDay = 24 * 60;

    public Offer Offer { get; }

    public string OfferId { get; }

    public string BrandId { get; }

    public string? Category { get; }

    /// <summary>Money the coupon is worth to the shopper, for expected value.</summary>
    public double Value { get; }

    public double Priority { get; }

    /// <summary>Value x priority: the part of the expected value that does not depend on the shopper or the draw.</summary>
    public double Worth { get; }

    /// <summary>The offer's own key into a round's draws, so its draw does not depend on the order offers are looked at.</summary>
    internal ulong DrawKey { get; }

    internal long MinDwellTicks { get; }

    internal long ValidFromTicks { get; }

    internal long ValidToTicks { get; }

    internal byte DayMask { get; }

    internal int FromMinute { get; }

    internal int ToMinute { get; }

    internal string[] Segments { get; }

    internal string[] LoyaltyTiers { get; }

    internal int MinVisits { get; }

    internal int MaxVisits { get; }

    internal VisitorKind Visitors { get; }

    internal bool RequiresInterest { get; }

    internal bool RequiresGatewayPresence { get; }

    internal int MaxPerShopper { get; }

    internal int CapCouponsToday { get; }

    internal long CapMinGapTicks { get; }

    internal long CapQuietTicks { get; }

    internal uint HoldoutThreshold { get; }

    /// <summary>Whether a local day and minute lie in the offer's schedule (a window may run over midnight).</summary>
    internal bool IsScheduled(DayOfWeek day, int minute)
    {
        if (FromMinute <= ToMinute)
        {
            return (DayMask & (1 << (int)day)) != 0 && minute >= FromMinute && minute < ToMinute;
        }

        // Overnight: the part after midnight belongs to the day the window opened.
        return minute >= FromMinute
            ? (DayMask & (1 << (int)day)) != 0
            : minute < ToMinute && (DayMask & (1 << (((int)day + 6) % 7))) != 0;
    }
}

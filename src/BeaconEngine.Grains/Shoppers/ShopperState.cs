using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Events;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Analytics;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// The shopper's durable record: profile, wallet, contact history, learned liking, the feedback outbox and
/// the store's events not yet in its log. What changes with every zone (trail, visits) is in <see cref="PresenceState"/>, so a zone
/// change does not rewrite this. Ids 2, 9 and 10 held the trail and visits before; they are not reused.
/// </summary>
[GenerateSerializer]
public sealed class ShopperState
{
    /// <summary>The state's name in storage.</summary>
    public const string Name = "shopper";

    [Id(0)] public ShopperProfile? Profile { get; set; }

    /// <summary>Hex SHA-256 of the shopper's token, so erasure can revoke it.</summary>
    /// <remarks>
    /// Kept as its 32 bytes (a lowercase hex string of 64 characters costs 152 bytes on every live shopper, and is
    /// read only when the record is stored or erased); any other value is kept as given.
    /// </remarks>
    [Id(1)]
    public string? TokenHash
    {
        get => _tokenHash.IsHex ? _tokenHash.ToHex() : _tokenHashText;
        set
        {
            var hex = TokenDigest.TryParse(value, out _tokenHash);
            _tokenHashText = hex ? null : value;
        }
    }

    [NonSerialized] private TokenDigest _tokenHash;
    [NonSerialized] private string? _tokenHashText;

    // The dictionaries and the set below stay null until first written: most live shoppers have
    // received, been held out of and given feedback on nothing yet, and an empty collection costs
    // 60 to 80 bytes an activation. Readers go through the null-safe methods further down.
    [Id(3)] private Dictionary<string, int>? _couponsPerOffer;
    [Id(6)] private Dictionary<string, double>? _categoryLiking;
    [Id(7)] private Dictionary<string, double>? _brandLiking;

    // The wallet and the feedback outbox too stay null until first written (an empty list is 32 bytes a live
    // shopper); Wallet and Outbox make them, WalletIfAny() and OutboxCount() read without making them (methods, so a
    // JSON state serializer neither writes nor fills them).
    [Id(4)] private List<Coupon>? _wallet;
    [Id(40)] private List<OfferFeedback>? _outbox;

    /// <summary>The shopper's coupons (made on first use).</summary>
    public List<Coupon> Wallet { get => _wallet ??= []; set => _wallet = value; }

    /// <summary>The wallet, or null if it was never written.</summary>
    public List<Coupon>? WalletIfAny() => _wallet;

    /// <summary>Coupons received per offer, for per-shopper caps (created on first write).</summary>
    public Dictionary<string, int> CouponsPerOffer => _couponsPerOffer ??= new(StringComparer.Ordinal);

    /// <summary>
    /// The offers the shopper met, one each: sent a coupon (treated) or placed in the control group. The one
    /// record of the shopper's groups: the rules read it (<see cref="WasHeldOut"/>), and so does a purchase.
    /// Stored with the wallet, so it costs no write of its own. Id 5 held the control groups alone before.
    /// </summary>
    [Id(12)] private List<OfferExposure>? _exposures;

    public IReadOnlyList<OfferExposure> Exposures => _exposures ?? [];

    /// <summary>Learned liking per category and per brand: redemptions minus dismissals (created on first write).</summary>
    public Dictionary<string, double> CategoryLiking => _categoryLiking ??= new(StringComparer.Ordinal);

    public Dictionary<string, double> BrandLiking => _brandLiking ??= new(StringComparer.Ordinal);

    [Id(8)] public DateTimeOffset? LastDismissalAt { get; set; }

    public string ShopperKey => Profile?.ShopperId ?? string.Empty;

    public bool AcceptsOffers => Profile?.Consent.Offers == true;

    public string? PrimarySegment => Preferences?.Segments is [var first, ..] ? first : null;

    public string? LoyaltyTier => Preferences?.LoyaltyTier;

    /// <summary>When the shopper last received a coupon (kept, so no decision walks the wallet for it).</summary>
    [Id(11)] public DateTimeOffset? LastCouponAt { get; set; }

    /// <summary>Feedback stored with the wallet change it describes, kept until its offer has counted it (made on first use).</summary>
    public List<OfferFeedback> Outbox { get => _outbox ??= []; set => _outbox = value; }

    /// <summary>Feedback waiting for its offer, without making the outbox.</summary>
    public int OutboxCount() => _outbox?.Count ?? 0;

    /// <summary>
    /// Events for the store's log, each stored with the change it describes (the wallet write a coupon makes
    /// anyway, the record's write for a group or a basket), kept until the log has stored them. Null while empty.
    /// Sent events leave by replacing the list, never by changing it in place, so a write in flight keeps its own.
    /// </summary>
    [Id(41)] public List<StoreEvent>? PendingEvents { get; set; }

    /// <summary>Recent purchases the till named (its purchase id), so a retry is answered and not counted again.</summary>
    [Id(43)] public List<RecordedPurchase>? Purchases { get; set; }

    /// <summary>Events a shopper's outbox holds at most; past it new events are dropped (and counted).</summary>
    public const int MaxPendingEvents = 1000;

    // Not stored: the shopper's pseudonym, worked out once an activation, and the events dropped since last asked.
    [NonSerialized] private string? _pseudonym;
    [NonSerialized] private int _droppedEvents;

    /// <summary>The number of the shopper's newest event; with their pseudonym it is the event's id, the same on every resend.</summary>
    [Id(42)] public long LastEventNumber { get; set; }

    /// <summary>The outbox's events, oldest first (a method, not a property: a JSON state serializer writes only <see cref="PendingEvents"/>).</summary>
    public IReadOnlyList<StoreEvent> StoreEvents() => PendingEvents ?? (IReadOnlyList<StoreEvent>)[];

    private ShopperPreferences? Preferences => Profile?.Preferences;

    /// <summary>
    /// Puts an event of this shopper's in the outbox, named by pseudonym, with its id; to be stored with the change it
    /// describes. An outbox already holding <see cref="MaxPendingEvents"/> (the store's log has been unreachable for
    /// long) takes no more: the event is dropped and counted (<see cref="TakeDroppedEvents"/>), so the record stays bounded.
    /// </summary>
    public void RecordEvent(StoreEvent storeEvent)
    {
        if (Profile is null)
        {
            return;
        }

        if (PendingEvents?.Count >= MaxPendingEvents)
        {
            _droppedEvents++;
            return;
        }

        var shopper = _pseudonym ??= ShopperPseudonym.Of(ShopperKey);
        var number = ++LastEventNumber;
        (PendingEvents ??= []).Add(storeEvent with
        {
            Shopper = shopper,
            Id = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{shopper}-{number}"),
        });
    }

    /// <summary>The events dropped (outbox full) since the last call.</summary>
    public int TakeDroppedEvents()
    {
        var dropped = _droppedEvents;
        _droppedEvents = 0;
        return dropped;
    }

    /// <summary>The log stored the first <paramref name="count"/> events: they leave the outbox (a new list).</summary>
    public void StoreEventsSent(int count) =>
        PendingEvents = PendingEvents is null || count >= PendingEvents.Count ? null : PendingEvents.GetRange(count, PendingEvents.Count - count);

    /// <summary>Takes back the event of a coupon that was not issued after all (its wallet write failed).</summary>
    public void TakeBackEvent(string type, string couponId)
    {
        var i = PendingEvents?.FindLastIndex(e => e.Type == type && e.CouponId == couponId) ?? -1;
        if (i >= 0)
        {
            PendingEvents!.RemoveAt(i);
        }
    }

    /// <summary>A purchase recorded before under the till's <paramref name="purchaseId"/>, if it is still remembered.</summary>
    public RecordedPurchase? RecordedPurchase(string purchaseId) => Purchases?.Find(p => p.PurchaseId == purchaseId);

    /// <summary>Remembers a purchase the till named, keeping the newest <paramref name="max"/> of the last <paramref name="keep"/>.</summary>
    public void RememberPurchase(RecordedPurchase purchase, TimeSpan keep, int max)
    {
        var list = Purchases ??= [];
        list.RemoveAll(p => p.RecordedAt < purchase.RecordedAt - keep);
        list.Add(purchase);
        if (list.Count > max)
        {
            list.RemoveRange(0, list.Count - max);
        }
    }

    public bool HasSegment(string segment) => Preferences is { } p && Array.IndexOf(p.Segments, segment) >= 0;

    public bool IsInterestedIn(string category) => Preferences is { } p && Array.IndexOf(p.Interests, category) >= 0;

    public bool HasOptedOut(string category) => Preferences is { } p && Array.IndexOf(p.NeverOffer, category) >= 0;

    public int CouponsReceived(string offerId) => _couponsPerOffer?.GetValueOrDefault(offerId) ?? 0;

    public bool WasHeldOut(string offerId) => _exposures?.Exists(e => e.OfferId == offerId && !e.Treated) == true;

    /// <summary>Takes back an exposure recorded for a coupon that was not issued after all.</summary>
    public void Unexpose(OfferExposure exposure) => _exposures?.Remove(exposure);

    /// <summary>Records that the shopper met an offer; the first meeting decides the group and when it began.</summary>
    public void Expose(OfferExposure exposure)
    {
        if (_exposures?.Exists(e => e.OfferId == exposure.OfferId) != true)
        {
            (_exposures ??= []).Add(exposure);
        }
    }

    public int CouponsSince(DateTimeOffset since)
    {
        var count = 0;
        foreach (var coupon in _wallet ?? [])
        {
            if (coupon.IssuedAt >= since)
            {
                count++;
            }
        }

        return count;
    }

    public double CategoryAffinity(string category) => _categoryLiking?.GetValueOrDefault(category) ?? 0;

    public double BrandAffinity(string brandId) => _brandLiking?.GetValueOrDefault(brandId) ?? 0;

    public double LikingCeiling => Greatest(_categoryLiking) + Greatest(_brandLiking);

    private static double Greatest(Dictionary<string, double>? liking)
    {
        var greatest = 0.0;
        if (liking is null)
        {
            return greatest;
        }

        foreach (var value in liking.Values)
        {
            greatest = Math.Max(greatest, value);
        }

        return greatest;
    }

    /// <summary>
    /// Adds a coupon to the wallet and lets go of coupons closed or expired more than
    /// <paramref name="keep"/> ago, so the wallet (walked by daily caps) stays the size of recent history.
    /// </summary>
    public void Receive(Coupon coupon, TimeSpan keep)
    {
        var horizon = coupon.IssuedAt - keep;
        Wallet.RemoveAll(c => (c.ClosedAt ?? c.ExpiresAt) < horizon);
        Wallet.Add(coupon);
        Expose(new OfferExposure(coupon.OfferId, coupon.BrandId, Treated: true, coupon.IssuedAt));
        CouponsPerOffer[coupon.OfferId] = CouponsReceived(coupon.OfferId) + 1;
        LastCouponAt = coupon.IssuedAt;
    }

    /// <summary>
    /// "Not relevant" is stronger than a dismissal: the coupon's category is out at once (the rules exclude a
    /// category liked as little as <paramref name="excludeAt"/> dismissals), or, without a category, its brand is liked less.
    /// </summary>
    public void MarkNotRelevant(Coupon coupon, int excludeAt)
    {
        if (coupon.Category is { } category)
        {
            CategoryLiking[category] = Math.Min(CategoryAffinity(category), -excludeAt);
        }
        else
        {
            BrandLiking[coupon.BrandId] = BrandAffinity(coupon.BrandId) - 1;
        }
    }

    /// <summary>Feedback on a coupon moves the shopper's liking of its category and brand.</summary>
    public void Learn(Coupon coupon, double delta)
    {
        if (coupon.Category is { } category)
        {
            CategoryLiking[category] = CategoryAffinity(category) + delta;
        }

        BrandLiking[coupon.BrandId] = BrandAffinity(coupon.BrandId) + delta;
    }
}

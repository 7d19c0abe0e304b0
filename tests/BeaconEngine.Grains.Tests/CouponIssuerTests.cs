using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains.Shoppers;
using BeaconEngine.Proximity.Zones;
using BeaconEngine.Rules.Learning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// <see cref="CouponIssuer"/> without a host: the order of the issue protocol (budget and code stored, then the
/// wallet, then the push and the confirmation), its undo when the wallet write fails, and a spent budget.
/// </summary>
public sealed class CouponIssuerTests
{
    private const string ShopperId = "shp-1";

    private readonly ShopperPortFakes _ports = new();
    private readonly FakeTimeProvider _clock = new(PlainStore.Noon);
    private readonly ShopperState _shopper = PlainStore.Shopper(ShopperId);
    private readonly PresenceState _presenceState = new();
    private readonly List<ProximityEvent> _events = [];
    private readonly Presence _presence = PlainStore.Presence();
    private readonly CouponIssuer _issuer;

    public CouponIssuerTests() =>
        _issuer = new CouponIssuer(new CouponIssuing(_ports, _ports, _ports, _ports, new RedemptionModel(), _clock, new EngineOptions(), NullLogger.Instance));

    [Fact]
    public async Task Budget_and_code_are_stored_before_the_wallet_and_the_push_and_confirmation_come_after_it()
    {
        var view = PlainStore.View(PlainStore.Offer());
        string? writingWhileStored = null;

        await IssueAsync(view, () =>
        {
            writingWhileStored = _issuer.Writing;
            _ports.Log.Add("store wallet");
            return Task.CompletedTask;
        });

        var coupon = Assert.Single(_shopper.Wallet);
        Assert.Equal(
            ["triggered offer-1", "reserve offer-1", "file code", "store wallet", $"push {coupon.CouponId}", "issued offer-1", "confirm offer-1"],
            _ports.Log);
        Assert.Equal(coupon.CouponId, writingWhileStored);
        Assert.Null(_issuer.Writing);
        Assert.Equal(CouponStatus.Issued, coupon.Status);
        Assert.Equal(PlainStore.Noon.AddMinutes(60), coupon.ExpiresAt);
        Assert.Equal(1, _shopper.CouponsReceived("offer-1"));
    }

    [Fact]
    public async Task A_wallet_write_that_fails_gives_the_unit_and_the_code_back_and_pushes_nothing()
    {
        var view = PlainStore.View(PlainStore.Offer());

        await Assert.ThrowsAsync<InvalidOperationException>(() => IssueAsync(view, () => throw new InvalidOperationException("disk full")));

        Assert.Empty(_shopper.Wallet);
        Assert.Equal(0, _shopper.CouponsReceived("offer-1"));
        Assert.Null(_shopper.LastCouponAt);
        Assert.Null(_issuer.Writing);
        Assert.Equal(["triggered offer-1", "reserve offer-1", "file code", "release offer-1", "remove code"], _ports.Log);
    }

    [Fact]
    public async Task A_spent_budget_takes_the_filed_code_back_decides_nothing_and_leaves_the_offer_out()
    {
        _ports.Budget = 0;
        var view = PlainStore.View(PlainStore.Offer());
        var stored = false;

        await IssueAsync(view, () =>
        {
            stored = true;
            return Task.CompletedTask;
        });

        Assert.False(stored);
        Assert.Empty(_shopper.Wallet);
        Assert.True(_issuer.IsSpent("offer-1"));
        Assert.Equal(["triggered offer-1", "reserve offer-1", "file code", "remove code"], _ports.Log);
    }

    [Fact]
    public async Task A_code_already_taken_is_drawn_again_until_one_is_filed()
    {
        _ports.CodesTaken = 2;
        var view = PlainStore.View(PlainStore.Offer());

        await IssueAsync(view, () => Task.CompletedTask);

        Assert.Single(_shopper.Wallet);
        Assert.Equal(3, _ports.Log.Count(step => step == "file code"));
        Assert.DoesNotContain("remove code", _ports.Log);
    }

    [Fact]
    public async Task A_backlog_older_than_the_trigger_age_moves_the_shopper_but_issues_nothing()
    {
        var view = PlainStore.View(PlainStore.Offer());
        _clock.Advance(new EngineOptions().MaxTriggerAge + TimeSpan.FromSeconds(1));

        await IssueAsync(view, () => Task.CompletedTask);

        Assert.Empty(_shopper.Wallet);
        Assert.Empty(_ports.Log);
    }

    private async Task IssueAsync(Grains.Stores.StoreView view, Func<Task> storeWallet)
    {
        _presence.Observe(_presenceState, view, PlainStore.Approach(PlainStore.Noon), _events, _clock.GetUtcNow());
        await _issuer.IssueAsync(ShopperId, view, _presence.Resolver!, _events, _shopper, _presenceState, storeWallet, batchReceived: null);
    }
}

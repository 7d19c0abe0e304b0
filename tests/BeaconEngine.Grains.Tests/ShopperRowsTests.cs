using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Offers;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Analytics;
using BeaconEngine.Grains.Shoppers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// The shopper's rows as kept in memory (compactly) and as stored: what is written and read back is what was given.
/// </summary>
public sealed class ShopperRowsTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Theory]
    [InlineData(Hash)]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [InlineData("not-a-hash")]
    [InlineData("")]
    [InlineData(null)]
    public void The_token_hash_reads_back_as_given_and_survives_storage(string? tokenHash)
    {
        var state = new ShopperState { TokenHash = tokenHash };

        Assert.Equal(tokenHash, state.TokenHash);
        Assert.Equal(tokenHash, RoundTrip(state).TokenHash);
    }

    [Fact]
    public void An_empty_wallet_and_outbox_are_read_without_being_made_and_stored_as_written()
    {
        var state = new ShopperState();
        Assert.Null(state.WalletIfAny());
        Assert.Equal(0, state.OutboxCount());
        Assert.Empty(new ShopperWallet(state).Usable(DateTimeOffset.UnixEpoch));
        Assert.False(new ShopperWallet(state).Holds("c1"));
        Assert.Null(state.WalletIfAny());

        state.Outbox.Add(new OfferFeedback("o1", CouponFeedback.Delivered, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1));
        var read = RoundTrip(state);
        Assert.Null(read.WalletIfAny());
        Assert.Equal("o1", Assert.Single(read.Outbox).OfferId);
    }

    [Fact]
    public void A_zone_hour_shopper_offered_nothing_keeps_no_brand_lists_and_its_stages_are_stored()
    {
        var hour = new ZoneHourState();
        hour.AddStays("s1", [new ZoneStay("dairy", DateTimeOffset.UnixEpoch, null, null)]);
        var shopper = hour.Zones["dairy"].Shoppers["s1"];
        Assert.Null(shopper.Brands(ZoneStage.Offered));
        Assert.Empty(Assert.Single(Assert.Single(hour.ToReport().Zones).Shoppers).Offered);

        Assert.True(hour.AddStage("s1", "dairy", "brand-a", ZoneStage.Opened));
        Assert.False(hour.AddStage("s1", "dairy", "brand-a", ZoneStage.Opened));
        var read = Serializer.Deserialize<ZoneHourState>(Serializer.SerializeToArray(hour))!.Zones["dairy"].Shoppers["s1"];
        Assert.Equal(["brand-a"], read.Opened);
        Assert.Null(read.Brands(ZoneStage.Offered));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("123456789012")]
    [InlineData("0")]
    [InlineData("007")]
    [InlineData("-4")]
    [InlineData("a1b2-etag")]
    [InlineData("12345678901234567890123")]
    [InlineData(null)]
    public void A_row_gives_back_its_etag_as_set(string? etag)
    {
        var row = new StoredRow<PresenceState> { ETag = etag };
        Assert.Equal(etag, row.ETag);
    }

    private static ShopperState RoundTrip(ShopperState state) => Serializer.Deserialize<ShopperState>(Serializer.SerializeToArray(state))!;
}

using BeaconEngine.Grains;
using BeaconEngine.Proximity.Advertising;
using BeaconEngine.Server.Ingestion;

namespace BeaconEngine.Server.Tests;

/// <summary>The identity cache's compact answers: the engine's shopper ids are packed, anything else is kept, and both come back as given.</summary>
public sealed class HeldShopperIdTests
{
    [Fact]
    public void The_engines_shopper_ids_are_packed_and_given_back_exactly()
    {
        for (var i = 0; i < 2_000; i++)
        {
            var id = Ids.New("shp");
            var held = HeldShopperId.From(id);
            Assert.True(held.IsPacked, id);
            Assert.Equal(id, held.ToId());
        }

        Assert.Equal("shp_00000000000000000000", HeldShopperId.From("shp_00000000000000000000").ToId());
        Assert.Equal("shp_zzzzzzzzzzzzzzzzzzzz", HeldShopperId.From("shp_zzzzzzzzzzzzzzzzzzzz").ToId());
    }

    [Theory]
    [InlineData("shp_QK6AACPCQQYA3H8VSC9C")]
    [InlineData("shp_qk6aacpcqqya3h8vsc9")]
    [InlineData("shp_qk6aacpcqqya3h8vsc9cc")]
    [InlineData("shp_qk6aacpcqqya3h8vsc9i")]
    [InlineData("cus_qk6aacpcqqya3h8vsc9c")]
    [InlineData("shopper-42")]
    [InlineData("")]
    public void Any_other_id_is_kept_as_given(string id)
    {
        var held = HeldShopperId.From(id);
        Assert.False(held.IsPacked);
        Assert.Equal(id, held.ToId());
    }

    [Fact]
    public void No_shopper_stays_none()
    {
        Assert.Null(HeldShopperId.From(null).ToId());
        Assert.Null(default(HeldShopperId).ToId());
    }

    [Fact]
    public void The_cache_tells_identities_apart_by_uuid_major_and_minor()
    {
        var uuid = Guid.Parse("f7826da6-4fa2-4e98-8024-bc5b71e0893e");
        var cache = new GenerationalCache<BeaconIdentity, int>(capacity: 100);
        cache.Set(new BeaconIdentity(uuid, 1, 42), 1);
        cache.Set(new BeaconIdentity(uuid, 42, 1), 2);
        cache.Set(new BeaconIdentity(Guid.Parse("f7826da6-4fa2-4e98-8024-bc5b71e0893f"), 1, 42), 3);

        Assert.True(cache.TryGet(new BeaconIdentity(uuid, 1, 42), out var value));
        Assert.Equal(1, value);
        Assert.True(cache.TryGet(new BeaconIdentity(uuid, 42, 1), out value));
        Assert.Equal(2, value);
        Assert.False(cache.TryGet(new BeaconIdentity(uuid, 1, 43), out _));
        cache.Remove(new BeaconIdentity(uuid, 1, 42));
        Assert.False(cache.TryGet(new BeaconIdentity(uuid, 1, 42), out _));
        Assert.Equal(2, cache.Count);
    }
}

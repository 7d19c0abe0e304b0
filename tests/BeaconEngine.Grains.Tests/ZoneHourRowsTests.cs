using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Grains.Analytics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// A zone-hour shopper keeps one stay inline and makes a collection only for a second one; the stored row keeps its
/// shape (a dictionary of stays), so rows written before read back and rows written now are what older builds wrote.
/// </summary>
public sealed class ZoneHourRowsTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    // A zone-hour row as main at cc5f07e (stays in a Dictionary<long, bool> each) stored it with the Orleans serializer,
    // made by Walk() below: s1 one open stay in dairy; s2 a closed stay of 95 s in dairy, one in bakery (from dairy),
    // a second, open, in dairy (from bakery), and brand-a offered there.
    private const string StoredBefore =
        "ICAwATEs1C4dU3RyaW5nQ29tcGFyZXIAAwEB4AEFQQtkYWlyeSAgOAMAAwEB4AEFQQVzMSAgAQOBANDZW+1R3wgAAeCBAAAAAAAAAADBAcEBwQHgQAVzMiAgAQWBABadf+1R3wgAA4AALqoO7lHfCAAB4IEAAAAAAMBXQCEAA0EPYnJhbmQtYeDBAcEB4OAhAQMBmgMABeDgQA1iYWtlcnkgIDgDAAMBAeABA8ExICABA4EAoiPH7VHfCAAB4IEAAAAAAAAAAMEBwQHBAeDgIeDg4CE4AwADAQHgAQVBGWRhaXJ5fGJha2VyeSA4AwADAQHgAQPBMQAF4EAZYmFrZXJ5fGRhaXJ5IDgDAAMBAeABA8ExAAXg4OA=";

    private static ZoneHourState Walk()
    {
        var hour = new ZoneHourState();
        hour.AddStays("s1", [new ZoneStay("dairy", At, null, null)]);
        hour.AddStays("s2", [new ZoneStay("dairy", At.AddMinutes(1), At.AddMinutes(1).AddSeconds(95), null)]);
        hour.AddStays("s2", [new ZoneStay("bakery", At.AddMinutes(3), null, "dairy")]);
        hour.AddStays("s2", [new ZoneStay("dairy", At.AddMinutes(5), null, "bakery")]);
        hour.AddStage("s2", "dairy", "brand-a", ZoneStage.Offered);
        return hour;
    }

    [Fact]
    public void A_row_stored_before_reads_back_with_its_stays_and_counts_none_of_them_twice()
    {
        var read = Serializer.Deserialize<ZoneHourState>(Convert.FromBase64String(StoredBefore))!;

        var dairy = read.Zones["dairy"];
        Assert.True(dairy.Shoppers["s1"].TryGetStay(At.UtcTicks, out var s1Closed));
        Assert.False(s1Closed);
        Assert.True(dairy.Shoppers["s2"].TryGetStay(At.AddMinutes(1).UtcTicks, out var firstClosed));
        Assert.True(firstClosed);
        Assert.True(dairy.Shoppers["s2"].TryGetStay(At.AddMinutes(5).UtcTicks, out var secondClosed));
        Assert.False(secondClosed);
        Assert.False(dairy.Shoppers["s2"].TryGetStay(At.AddMinutes(3).UtcTicks, out _));
        Assert.Equal(95, dairy.Shoppers["s2"].LongestStaySeconds);
        Assert.Equal(["brand-a"], dairy.Shoppers["s2"].Offered);
        Assert.Equal(1, dairy.Dwell.Values.Sum());

        // The same stays again change nothing; closing the open ones counts their dwell once, and no move twice.
        Assert.False(read.AddStays("s1", [new ZoneStay("dairy", At, null, null)]));
        Assert.False(read.AddStays("s2", [new ZoneStay("dairy", At.AddMinutes(1), At.AddMinutes(1).AddSeconds(95), null)]));
        Assert.True(read.AddStays("s1", [new ZoneStay("dairy", At, At.AddSeconds(30), null)]));
        Assert.True(read.AddStays("s2", [new ZoneStay("dairy", At.AddMinutes(5), At.AddMinutes(6), "bakery")]));
        Assert.False(read.AddStays("s2", [new ZoneStay("dairy", At.AddMinutes(5), At.AddMinutes(6), "bakery")]));
        Assert.Equal(3, dairy.Dwell.Values.Sum());
        var report = read.ToReport();
        Assert.All(report.Transitions, t => Assert.Equal(1, Assert.Single(t.MovesByShopper).Value));
        Assert.Equal(2, report.Transitions.Length);
        Assert.All(report.Zones.SelectMany(z => z.Shoppers), s => Assert.True(s.Entered));
    }

    [Fact]
    public void A_row_written_now_is_byte_for_byte_the_row_written_before()
    {
        Assert.Equal(StoredBefore, Convert.ToBase64String(Serializer.SerializeToArray(Walk())));

        var read = Serializer.Deserialize<ZoneHourState>(Convert.FromBase64String(StoredBefore))!;
        Assert.Equal(StoredBefore, Convert.ToBase64String(Serializer.SerializeToArray(read)));
    }

    [Fact]
    public void One_stay_is_held_until_a_second_and_the_stored_stays_are_all_of_them()
    {
        var shopper = new ZoneHourShopper();
        Assert.False(shopper.HasStays);
        Assert.Empty(shopper.Stays);

        shopper.SetStay(10, closed: false);
        Assert.True(shopper.HasStays);
        Assert.True(shopper.TryGetStay(10, out var closed));
        Assert.False(closed);
        Assert.False(shopper.TryGetStay(11, out _));
        shopper.SetStay(10, closed: true);
        Assert.True(shopper.TryGetStay(10, out closed));
        Assert.True(closed);
        Assert.Equal(new Dictionary<long, bool> { [10] = true }, shopper.Stays);

        shopper.SetStay(11, closed: false);
        Assert.True(shopper.TryGetStay(10, out closed));
        Assert.True(closed);
        Assert.True(shopper.TryGetStay(11, out closed));
        Assert.False(closed);
        Assert.Equal(new Dictionary<long, bool> { [10] = true, [11] = false }, shopper.Stays);

        // The stored stays are a copy: changing it changes nothing held.
        shopper.Stays[12] = true;
        Assert.False(shopper.TryGetStay(12, out _));

        shopper.Stays = new Dictionary<long, bool> { [5] = true };
        Assert.True(shopper.TryGetStay(5, out closed));
        Assert.True(closed);
        Assert.False(shopper.TryGetStay(10, out _));
        shopper.Stays = [];
        Assert.False(shopper.HasStays);
    }
}

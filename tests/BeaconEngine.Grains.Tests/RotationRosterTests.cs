using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Grains.Shoppers;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// A store's roster of rotation secrets at a retailer's scale: an enrolment writes the head and one bucket, not the
/// whole roster; everything comes back from the rows after a deactivation; a roster stored before buckets moves
/// into them; an erasure interrupted between the head and its bucket is finished when the roster is read again.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class RotationRosterTests(GrainCluster cluster)
{
    [Fact]
    public async Task Enrolling_into_a_roster_of_hundreds_writes_its_head_and_one_bucket_and_all_of_it_comes_back()
    {
        var roster = cluster.Grains.GetGrain<IRotationRosterGrain>($"store-{Guid.NewGuid():N}");
        const int shoppers = 300;
        for (var i = 0; i < shoppers; i++)
        {
            await roster.Add(ShopperId(i), Sealed(i));
        }

        cluster.Costs.Reset();
        await roster.Add(ShopperId(shoppers), Sealed(shoppers));

        var bucket = RosterBucketRow.Name(RotationRosterGrain.BucketOf(ShopperId(shoppers)));
        Assert.Equal(new Dictionary<string, int> { ["rotation"] = 1, [bucket] = 1 }, cluster.Costs.Writes);

        // The bucket holds one or two of the 300 secrets; the head its 16 latest changes (ids, no secrets).
        var written = cluster.Costs.BytesWritten;
        var wholeRoster = shoppers * (Sealed(0).Length + ShopperId(0).Length);
        Assert.True(written.Values.Sum() < wholeRoster / 10, $"{written.Values.Sum()} bytes written for one enrolment; the whole roster is about {wholeRoster}");

        await roster.Remove(ShopperId(7));
        await cluster.DeactivateAsync(roster);

        Assert.Equal(shoppers, await roster.Count());
        Assert.Null(await roster.GetSealedSecret(ShopperId(7)));
        Assert.Equal(Sealed(shoppers), await roster.GetSealedSecret(ShopperId(shoppers)));
        var all = await roster.GetSince(0);
        Assert.True(all.Complete);
        Assert.Equal(shoppers, all.Added.Length);
        Assert.Equal(Sealed(123), all.Added.Single(a => a.ShopperId == ShopperId(123)).SealedSecret);
    }

    [Fact]
    public async Task A_roster_stored_before_buckets_moves_into_them_and_keeps_its_version()
    {
        var roster = cluster.Grains.GetGrain<IRotationRosterGrain>($"store-{Guid.NewGuid():N}");
        var legacy = new RotationRosterState { Version = 3, Changes = [new() { Version = 3, ShopperId = ShopperId(2) }] };
        for (var i = 0; i < 3; i++)
        {
            legacy.Secrets[ShopperId(i)] = Sealed(i);
        }

        await cluster.Storage.WriteStateAsync("rotation", roster.GetGrainId(), new GrainState<RotationRosterState>(legacy));

        Assert.Equal(3, await roster.Count());
        Assert.Equal(Sealed(1), await roster.GetSealedSecret(ShopperId(1)));
        var since = await roster.GetSince(2);
        Assert.Equal((3L, false, ShopperId(2)), (since.Version, since.Complete, since.Added.Single().ShopperId));

        // The head no longer holds the secrets: the next activation reads them from the buckets alone.
        var head = new GrainState<RotationRosterState>();
        await cluster.Storage.ReadStateAsync("rotation", roster.GetGrainId(), head);
        Assert.Empty(head.State!.Secrets);
        await cluster.DeactivateAsync(roster);
        Assert.Equal(Sealed(0), await roster.GetSealedSecret(ShopperId(0)));
        Assert.Equal(3, await roster.Count());
    }

    [Fact]
    public async Task An_erasure_whose_bucket_write_failed_is_finished_when_the_roster_is_read_again()
    {
        var roster = cluster.Grains.GetGrain<IRotationRosterGrain>($"store-{Guid.NewGuid():N}");
        await roster.Add(ShopperId(1), Sealed(1));
        await roster.Add(ShopperId(2), Sealed(2));

        // The head (with the removal) is stored; the bucket's write fails.
        await cluster.Faults(RosterBucketRow.Name(RotationRosterGrain.BucketOf(ShopperId(1)))).AddFaultOnWrite(roster.GetGrainId(), new InvalidOperationException("disk full"));
        await Assert.ThrowsAnyAsync<Exception>(() => roster.Remove(ShopperId(1)));

        // The failed call deactivated the roster; read again, the removal is finished and stored.
        Assert.Null(await roster.GetSealedSecret(ShopperId(1)));
        Assert.Equal(1, await roster.Count());
        await cluster.DeactivateAsync(roster);
        Assert.Equal(Sealed(2), await roster.GetSealedSecret(ShopperId(2)));
        var bucket = new GrainState<RosterBucket>();
        await cluster.Storage.ReadStateAsync(RosterBucketRow.Name(RotationRosterGrain.BucketOf(ShopperId(1))), roster.GetGrainId(), bucket);
        Assert.False(bucket.State!.Secrets.ContainsKey(ShopperId(1)));
    }

    private static string ShopperId(int i) => $"shp_{i:D26}";

    private static byte[] Sealed(int i) => [.. Enumerable.Range(0, 60).Select(b => (byte)(b + i))];
}

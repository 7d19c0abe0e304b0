using BeaconEngine.Proximity.Rotation;

namespace BeaconEngine.Proximity.Tests.Rotation;

public sealed class RotationTablesTests
{
    private const int Period = 600;
    private static readonly Guid Store = Guid.Parse("f7826da6-4fa2-4e98-8024-bc5b71e0893e");
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-11T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_live_identity_resolves_to_its_shopper_within_the_tolerance_and_is_a_replay_after_it()
    {
        var tables = new RotationTables(Store, Period, tolerance: 1, replayWindow: 6);
        var secret = Secret(1);
        tables.Add("shp-a", secret);
        tables.Add("shp-b", Secret(2));
        var captured = RotatingIdentity.Derive(secret, Store, RotatingIdentity.PeriodOf(T0, Period));

        Assert.Equal(new RotationMatch(RotationOutcome.Live, "shp-a"), tables.Resolve(captured.Major, captured.Minor, T0));
        Assert.Equal(RotationOutcome.Live, tables.Resolve(captured.Major, captured.Minor, T0.AddMinutes(19)).Outcome);
        Assert.Equal(RotationOutcome.Replay, tables.Resolve(captured.Major, captured.Minor, T0.AddMinutes(20)).Outcome);
        Assert.Equal(RotationOutcome.Replay, tables.Resolve(captured.Major, captured.Minor, T0.AddMinutes(79)).Outcome);
        Assert.Equal(RotationOutcome.Unknown, tables.Resolve(captured.Major, captured.Minor, T0.AddMinutes(80)).Outcome);
    }

    [Fact]
    public void Eddystone_eid_resolves_like_its_ibeacon_twin_and_checks_all_eight_bytes()
    {
        var tables = new RotationTables(Store, Period);
        tables.Add("shp-a", Secret(1));
        var identity = RotatingIdentity.Derive(Secret(1), Store, RotatingIdentity.PeriodOf(T0, Period));

        Assert.Equal(new RotationMatch(RotationOutcome.Live, "shp-a"), tables.ResolveEid(identity.Eid, T0));
        Assert.Equal(RotationOutcome.Unknown, tables.ResolveEid(identity.Eid ^ 1, T0).Outcome);
    }

    [Fact]
    public void An_identity_two_shoppers_share_resolves_to_neither()
    {
        // The same secret twice is the simplest pair of shoppers whose identities meet in every period.
        var tables = new RotationTables(Store, Period);
        tables.Add("shp-a", Secret(7));
        tables.Add("shp-b", Secret(7));
        var identity = RotatingIdentity.Derive(Secret(7), Store, RotatingIdentity.PeriodOf(T0, Period));

        Assert.Equal(new RotationMatch(RotationOutcome.Shared, null), tables.Resolve(identity.Major, identity.Minor, T0));

        tables.Remove("shp-b");
        Assert.Equal(new RotationMatch(RotationOutcome.Live, "shp-a"), tables.Resolve(identity.Major, identity.Minor, T0));
    }

    [Fact]
    public void An_erased_shopper_resolves_to_no_one()
    {
        var tables = new RotationTables(Store, Period);
        tables.Add("shp-a", Secret(1));
        var identity = RotatingIdentity.Derive(Secret(1), Store, RotatingIdentity.PeriodOf(T0, Period));
        Assert.Equal(RotationOutcome.Live, tables.Resolve(identity.Major, identity.Minor, T0).Outcome);

        tables.Remove("shp-a");

        Assert.Equal(RotationOutcome.Unknown, tables.Resolve(identity.Major, identity.Minor, T0).Outcome);
    }

    [Fact]
    public void A_shopper_enrolled_after_a_period_was_built_is_found_in_it()
    {
        var tables = new RotationTables(Store, Period);
        tables.Add("shp-a", Secret(1));
        Assert.Equal(RotationOutcome.Unknown, tables.Resolve(40000, 1, T0).Outcome);

        tables.Add("shp-b", Secret(2));
        var identity = RotatingIdentity.Derive(Secret(2), Store, RotatingIdentity.PeriodOf(T0, Period) + 1);

        Assert.Equal(new RotationMatch(RotationOutcome.Live, "shp-b"), tables.Resolve(identity.Major, identity.Minor, T0));
    }

    /// <summary>
    /// 1,000,000 sightings of 10,000 shoppers at random periods (200 periods drawn at random across a century, 5,000
    /// sightings each), every phone's clock off by up to the tolerance: none resolves to another shopper. Identities
    /// shared within the window resolve to no one, which is allowed; they are counted and must be rare.
    /// </summary>
    [Fact]
    public void No_sighting_resolves_to_the_wrong_shopper()
    {
        const int Shoppers = 10_000;
        const int Periods = 200;
        const int SightingsPerPeriod = 5_000;
        var random = new Random(21);
        var tables = new RotationTables(Store, Period, tolerance: 1, replayWindow: 0);
        var secrets = new byte[Shoppers][];
        for (var i = 0; i < Shoppers; i++)
        {
            secrets[i] = new byte[RotatingIdentity.SecretBytes];
            random.NextBytes(secrets[i]);
            tables.Add($"shp-{i}", secrets[i]);
        }

        var heard = new HeardRotation[SightingsPerPeriod];
        var who = new int[SightingsPerPeriod];
        var results = new RotationMatch[SightingsPerPeriod];
        long wrong = 0, shared = 0, live = 0;
        for (var n = 0; n < Periods; n++)
        {
            var period = random.NextInt64(0, 5_300_000);
            var at = RotatingIdentity.StartOf(period, Period).AddSeconds(random.Next(Period));
            for (var s = 0; s < SightingsPerPeriod; s++)
            {
                who[s] = random.Next(Shoppers);
                var identity = RotatingIdentity.Derive(secrets[who[s]], Store, period + random.Next(-1, 2));
                heard[s] = random.Next(4) == 0 ? HeardRotation.EddystoneEid(identity.Eid, at) : HeardRotation.IBeacon(identity.Major, identity.Minor, at);
            }

            tables.ResolveAll(heard, results);
            for (var s = 0; s < SightingsPerPeriod; s++)
            {
                switch (results[s].Outcome)
                {
                    case RotationOutcome.Live when results[s].ShopperId == $"shp-{who[s]}":
                        live++;
                        break;
                    case RotationOutcome.Shared:
                        shared++;
                        break;
                    default:
                        wrong++;
                        break;
                }
            }
        }

        Assert.Equal(0, wrong);
        Assert.Equal((long)Periods * SightingsPerPeriod, live + shared);

        // 30,000 identities in a window of 2^31: about 0.02 % of them meet another shopper's.
        Assert.True(shared < Periods * SightingsPerPeriod / 1000, $"{shared} shared");
    }

    private static byte[] Secret(byte seed)
    {
        var secret = new byte[RotatingIdentity.SecretBytes];
        Array.Fill(secret, seed);
        return secret;
    }
}

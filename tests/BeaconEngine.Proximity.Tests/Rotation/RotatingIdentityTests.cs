using BeaconEngine.Proximity.Rotation;

namespace BeaconEngine.Proximity.Tests.Rotation;

/// <summary>
/// The derivation's test vectors, as docs/rotating-identities.md lists them for app developers. They were computed
/// independently of this code, with Python's hmac module, from the steps the page gives.
/// </summary>
public sealed class RotatingIdentityTests
{
    [Theory]
    [InlineData("000102030405060708090a0b0c0d0e0f", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 0L, 34990, 46107, "08aeb41af9d11103")]
    [InlineData("000102030405060708090a0b0c0d0e0f", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 2946816L, 39767, 3589, "9b560e048651824b")]
    [InlineData("000102030405060708090a0b0c0d0e0f", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 2946817L, 54141, 37008, "537d908f980efd0a")]
    [InlineData("ffeeddccbbaa99887766554433221100", "f7826da6-4fa2-4e98-8024-bc5b71e0893e", 2946816L, 63935, 15270, "79bf3ba5949a2368")]
    [InlineData("ffeeddccbbaa99887766554433221100", "5a4bcfce-174e-4bac-a814-092e77f6b7e5", 2946816L, 57246, 22055, "5f9e562624389f17")]
    [InlineData("00000000000000000000000000000000", "00000000-0000-0000-0000-000000000000", -1L, 47741, 50905, "ba7cc6d847eda208")]
    public void Derives_the_documented_vectors(string secretHex, string uuid, long period, int major, int minor, string eidHex)
    {
        var identity = RotatingIdentity.Derive(Convert.FromHexString(secretHex), Guid.Parse(uuid), period);

        Assert.Equal((ushort)major, identity.Major);
        Assert.Equal((ushort)minor, identity.Minor);
        Assert.Equal(Convert.ToUInt64(eidHex, 16), identity.Eid);
    }

    [Fact]
    public void Periods_are_whole_periods_since_the_epoch()
    {
        Assert.Equal(2946816, RotatingIdentity.PeriodOf(DateTimeOffset.Parse("2026-01-11T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 600));
        Assert.Equal(2946816, RotatingIdentity.PeriodOf(DateTimeOffset.Parse("2026-01-11T00:09:59.999Z", System.Globalization.CultureInfo.InvariantCulture), 600));
        Assert.Equal(2946817, RotatingIdentity.PeriodOf(DateTimeOffset.Parse("2026-01-11T00:10:00Z", System.Globalization.CultureInfo.InvariantCulture), 600));
        Assert.Equal(-1, RotatingIdentity.PeriodOf(DateTimeOffset.FromUnixTimeMilliseconds(-1), 600));
        Assert.Equal(DateTimeOffset.Parse("2026-01-11T00:10:00Z", System.Globalization.CultureInfo.InvariantCulture), RotatingIdentity.StartOf(2946817, 600));
    }

    [Fact]
    public void Majors_stay_in_the_rotating_range()
    {
        var secret = new byte[RotatingIdentity.SecretBytes];
        for (long period = 0; period < 20_000; period++)
        {
            var identity = RotatingIdentity.Derive(secret, Guid.Empty, period);
            Assert.True(RotatingIdentity.IsRotating(identity.Major), $"major {identity.Major} of period {period}");
            Assert.NotEqual(0, identity.Minor);
        }
    }
}

using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Tests;

public sealed class AdvertisementParserTests
{
    // Flags AD (02 01 06) then Apple manufacturer data: length 0x1A, type 0xFF, company 0x004C (LE),
    // iBeacon type 0x02, length 0x15, UUID, major, minor, measured power.
    private const string Kontakt = "0201061AFF4C000215F7826DA64FA24E988024BC5B71E0893E04D2162EC5";

    [Fact]
    public void Reads_an_ibeacon_frame_with_flags()
    {
        Assert.True(Hex.TryDecode(Kontakt, out var bytes, out _));

        var result = AdvertisementParser.TryReadIBeacon(bytes, out var frame, out var error);

        Assert.Equal(AdvertisementResult.Ok, result);
        Assert.Null(error);
        Assert.Equal(Guid.Parse("f7826da6-4fa2-4e98-8024-bc5b71e0893e"), frame.Identity.Uuid);
        Assert.Equal(1234, frame.Identity.Major);
        Assert.Equal(5678, frame.Identity.Minor);
        Assert.Equal(-59, frame.MeasuredPower);
    }

    [Fact]
    public void Reads_an_ibeacon_frame_without_flags_and_with_trailing_padding()
    {
        Assert.True(Hex.TryDecode("1AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000010002C5000000", out var bytes, out _));

        Assert.Equal(AdvertisementResult.Ok, AdvertisementParser.TryReadIBeacon(bytes, out var frame, out _));
        Assert.Equal(Guid.Parse("e2c56db5-dffb-48d2-b060-d0f5a71096e0"), frame.Identity.Uuid);
        Assert.Equal(1, frame.Identity.Major);
        Assert.Equal(2, frame.Identity.Minor);
    }

    [Theory]
    [InlineData("0201060303AAFE1516AAFE00E8EDD5D88A3E2D2F6AC800000000000100", "Eddystone UID")]
    [InlineData("0201061AFF590002150112233445566778899AABBCCDDEEFF000010002C5", "Nordic manufacturer data")]
    [InlineData("02010A", "flags only")]
    public void A_well_formed_advertisement_of_another_kind_is_not_an_ibeacon(string hex, string because)
    {
        Assert.True(Hex.TryDecode(hex, out var bytes, out _), because);
        Assert.Equal(AdvertisementResult.NotIBeacon, AdvertisementParser.TryReadIBeacon(bytes, out _, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("0201061AFF4C000215", "declares")]                                                       // truncated
    [InlineData("0201061AFF4C000215F7826DA64FA24E988024BC5B71E0893E04D2162E", "declares")]               // one byte short
    [InlineData("0201061BFF4C000215F7826DA64FA24E988024BC5B71E0893E04D2162EC500", "21 are required")]     // one byte too many
    [InlineData("0201061AFF4C000214F7826DA64FA24E988024BC5B71E0893E04D2162EC5", "21 are required")]      // wrong inner length
    [InlineData("FF", "declares")]
    public void Broken_frames_are_rejected_with_a_reason(string hex, string reason)
    {
        Assert.True(Hex.TryDecode(hex, out var bytes, out _));

        Assert.Equal(AdvertisementResult.Malformed, AdvertisementParser.TryReadIBeacon(bytes, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_overlong_input_is_rejected()
    {
        Assert.Equal(AdvertisementResult.Malformed, AdvertisementParser.TryReadIBeacon([], out _, out _));
        Assert.Equal(AdvertisementResult.Malformed, AdvertisementParser.TryReadIBeacon(new byte[256], out _, out var error));
        Assert.Contains("at most", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ABC", "odd")]
    [InlineData("0x0G", "'G'")]
    public void Bad_hex_is_rejected_with_a_reason(string text, string reason)
    {
        Assert.False(Hex.TryDecode(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hex_accepts_a_prefix_and_either_case()
    {
        Assert.True(Hex.TryDecode("0xaBcD", out var bytes, out _));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, bytes);
    }
}

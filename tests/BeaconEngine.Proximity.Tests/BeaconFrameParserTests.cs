using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Tests;

/// <summary>
/// <see cref="AdvertisementParser.Parse"/> on iBeacon and AltBeacon frames and on the generic AD types. Vectors are
/// real captures or published test data; each cites where it comes from. Where a vector was changed (to make it
/// malformed, or to add the AD header that a source left out) the comment says so.
/// </summary>
public sealed class BeaconFrameParserTests
{
    // Blue Charm BC011 capture: flags, iBeacon, service data 0x2080 (not a beacon format), complete local name, padding.
    // LineageOS/android_packages_modules_Bluetooth framework/tests/unit/src/android/bluetooth/le/ScanRecordTest.java (RECORD_IBEACON).
    // The same manufacturer data decodes to major 3838, minor 4949, tx power -59 in theengs/decoder tests/BLE/test_ble.cpp.
    private const string BlueCharmIBeacon =
        "020106 1AFF4C000215426C7565436861726D426561636F6E730EFE1355C5 09168020691E0EFE1355 1109426C7565436861726D5F313639363835 00000000";

    // Manufacturer data from theengs/decoder tests/BLE/test_ble.cpp ("iBeacon", "NRF51822"); the 1A FF AD header is added here.
    private const string Nrf51822IBeacon = "1AFF 4c000215fda50693a4e24fb1afcfc6eb07647825000100021a";

    // AltBeacon/android-beacon-library lib/src/test/java/org/altbeacon/beacon/AltBeaconParserTest.java (testRecognizeBeacon).
    private const string RadiusAltBeacon = "02011a 1bff1801beac2f234454cf6d4a0fadf2f4911ba9ffa600010002c509 00";

    // AltBeacon/android-beacon-library lib/src/test/java/org/altbeacon/beacon/BeaconParserTest.java (testRecognizeBeaconCapturedManufacturer).
    private const string CapturedManufacturerAltBeacon =
        "020106 1bffaabbbeace2c56db5dffb48d2b060d0f5a71096e000010004c500 000000000000000000000000000000000000000000000000000000000000";

    // AltBeacon/android-beacon-library lib/src/test/java/org/altbeacon/beacon/AltBeaconParserTest.java (testDetectsDaveMHardwareBeacon):
    // AltBeacon, complete local name "RadBeacon USB", TX power level 3, padding.
    private const string RadBeaconUsb =
        "02011a 1bff1801beac2f234454cf6d4a0fadf2f4911ba9ffa600050003be02 0e09526164426561636f6e20555342 020a03 00000000000000000000000000";

    [Fact]
    public void Reads_a_captured_ibeacon_with_its_flags_and_name()
    {
        var ad = AdvertisementParser.Parse(TestHex.Bytes(BlueCharmIBeacon));

        Assert.True(ad.IsValid, ad.Error);
        var frame = Assert.IsType<BeaconFrame.IBeacon>(Assert.Single(ad.Frames));
        Assert.Equal(BeaconFrameKind.IBeacon, frame.Kind);
        Assert.Equal(new BeaconIdentity(Guid.Parse("426c7565-4368-6172-6d42-6561636f6e73"), 3838, 4949), frame.Identity);
        Assert.Equal(-59, frame.MeasuredPower);
        Assert.Equal(AdvertisingFlags.LeGeneralDiscoverable | AdvertisingFlags.BrEdrNotSupported, ad.Flags);
        Assert.Equal("BlueCharm_169685", ad.LocalName);
        Assert.True(ad.IsLocalNameComplete);
        Assert.Null(ad.TxPowerLevel);
        Assert.False(ad.ListsEddystoneService);
    }

    [Fact]
    public void Reads_an_ibeacon_without_flags()
    {
        var ad = AdvertisementParser.Parse(TestHex.Bytes(Nrf51822IBeacon));

        Assert.True(ad.IsValid, ad.Error);
        var frame = Assert.IsType<BeaconFrame.IBeacon>(Assert.Single(ad.Frames));
        Assert.Equal(new BeaconIdentity(Guid.Parse("fda50693-a4e2-4fb1-afcf-c6eb07647825"), 1, 2), frame.Identity);
        Assert.Equal(26, frame.MeasuredPower);
        Assert.Null(ad.Flags);
        Assert.Null(ad.LocalName);
    }

    [Theory]
    [InlineData(BlueCharmIBeacon)]
    [InlineData(Nrf51822IBeacon)]
    public void Parse_and_TryReadIBeacon_agree(string hex)
    {
        var bytes = TestHex.Bytes(hex);

        Assert.Equal(AdvertisementResult.Ok, AdvertisementParser.TryReadIBeacon(bytes, out var frame, out _));
        var parsed = Assert.IsType<BeaconFrame.IBeacon>(Assert.Single(AdvertisementParser.Parse(bytes).Frames));
        Assert.Equal(frame, parsed.Frame);
    }

    [Theory]
    [InlineData(RadiusAltBeacon, 0x0118, "2f234454-cf6d-4a0f-adf2-f4911ba9ffa6", 1, 2, -59, 9)]
    [InlineData(CapturedManufacturerAltBeacon, 0xBBAA, "e2c56db5-dffb-48d2-b060-d0f5a71096e0", 1, 4, -59, 0)]
    [InlineData(RadBeaconUsb, 0x0118, "2f234454-cf6d-4a0f-adf2-f4911ba9ffa6", 5, 3, -66, 2)]
    public void Reads_altbeacon_frames(string hex, int company, string id1, int id2, int id3, int referenceRssi, int reserved)
    {
        var bytes = TestHex.Bytes(hex);
        var ad = AdvertisementParser.Parse(bytes);

        Assert.True(ad.IsValid, ad.Error);
        var frame = Assert.IsType<BeaconFrame.AltBeacon>(Assert.Single(ad.Frames));
        Assert.Equal(BeaconFrameKind.AltBeacon, frame.Kind);
        Assert.Equal(company, frame.CompanyId);
        Assert.Equal(new BeaconIdentity(Guid.Parse(id1), (ushort)id2, (ushort)id3), frame.Identity);
        Assert.Equal(referenceRssi, frame.ReferenceRssi);
        Assert.Equal(reserved, frame.ManufacturerReserved);

        // AltBeacon is not an iBeacon, even though its identity has the same shape.
        Assert.Equal(AdvertisementResult.NotIBeacon, AdvertisementParser.TryReadIBeacon(bytes, out _, out _));
    }

    [Fact]
    public void Reads_local_name_and_tx_power_level_next_to_a_frame()
    {
        var ad = AdvertisementParser.Parse(TestHex.Bytes(RadBeaconUsb));

        Assert.Equal("RadBeacon USB", ad.LocalName);
        Assert.Equal((sbyte)3, ad.TxPowerLevel);
        Assert.Equal((AdvertisingFlags)0x1A, ad.Flags);
    }

    [Fact]
    public void Reads_the_generic_ad_types_of_an_advertisement_without_beacon_frames()
    {
        // LineageOS/android_packages_modules_Bluetooth framework/tests/unit/src/android/bluetooth/le/ScanRecordTest.java (testParser):
        // flags 0x1A, incomplete 16-bit UUIDs 110B 110A, name "Ped", TX power -20, service data 0x110B,
        // manufacturer data for 0x00E0 that is too short to be a beacon, and an unknown AD type 0x50.
        var ad = AdvertisementParser.Parse(TestHex.Bytes("02011a 0502 0b110a11 040950 6564 020aec 05160b115064 05ffe0000215 03500102"));

        Assert.True(ad.IsValid, ad.Error);
        Assert.Empty(ad.Frames);
        Assert.Equal((AdvertisingFlags)0x1A, ad.Flags);
        Assert.Equal("Ped", ad.LocalName);
        Assert.Equal((sbyte)-20, ad.TxPowerLevel);
        Assert.False(ad.ListsEddystoneService);
    }

    [Fact]
    public void Lists_every_frame_in_order_when_an_advertisement_carries_several()
    {
        // Combined here from two of the Blue Charm BC011 captures in ScanRecordTest.java (RECORD_IBEACON, RECORD_TLM),
        // as a scanner that merges advertising and scan-response data would deliver them.
        var ad = AdvertisementParser.Parse(TestHex.Bytes(
            "020106 1AFF4C000215426C7565436861726D426561636F6E730EFE1355C5 0303AAFE 1116AAFE20000BF017000008874803FB9354"));

        Assert.True(ad.IsValid, ad.Error);
        Assert.Collection(
            ad.Frames,
            f => Assert.Equal(BeaconFrameKind.IBeacon, f.Kind),
            f => Assert.Equal(BeaconFrameKind.EddystoneTlm, f.Kind));
        Assert.True(ad.ListsEddystoneService);
    }

    [Fact]
    public void A_complete_local_name_wins_over_a_shortened_one()
    {
        // Constructed: shortened name "Blue" (0x08) before complete name "BlueCharm" (0x09).
        var both = AdvertisementParser.Parse(TestHex.Bytes("0508426C7565 0A09426C7565436861726D"));
        var shortOnly = AdvertisementParser.Parse(TestHex.Bytes("0508426C7565"));

        Assert.Equal("BlueCharm", both.LocalName);
        Assert.True(both.IsLocalNameComplete);
        Assert.Equal("Blue", shortOnly.LocalName);
        Assert.False(shortOnly.IsLocalNameComplete);
    }

    [Theory]
    // AltBeacon/android-beacon-library lib/src/test/java/org/altbeacon/beacon/BeaconParserTest.java
    // (doesNotCashWithOverflowingByteCodeComparisonOnPdu): manufacturer data e0 00 be is too short to carry a beacon code.
    [InlineData("02010604ffe000be")]
    // The Nordic manufacturer data from AdvertisementParserTests: company 0x0059 with an iBeacon-like body is neither format.
    [InlineData("0201061AFF590002150112233445566778899AABBCCDDEEFF000010002C5")]
    public void Manufacturer_data_of_other_formats_is_skipped(string hex)
    {
        var ad = AdvertisementParser.Parse(TestHex.Bytes(hex));

        Assert.True(ad.IsValid, ad.Error);
        Assert.Empty(ad.Frames);
    }

    [Theory]
    // BlueCharmIBeacon with the iBeacon length byte 0x15 changed to 0x16.
    [InlineData("020106 1AFF4C000216426C7565436861726D426561636F6E730EFE1355C5", "iBeacon frame declares 22 and has 21 bytes of payload; 21 are required")]
    // BlueCharmIBeacon with the measured power byte dropped and the AD length lowered to match.
    [InlineData("020106 19FF4C000215426C7565436861726D426561636F6E730EFE1355", "iBeacon frame declares 21 and has 20 bytes of payload; 21 are required")]
    // Nrf51822IBeacon cut off one byte early: the AD length now points past the end.
    [InlineData("1AFF 4c000215fda50693a4e24fb1afcfc6eb0764782500010002", "AD structure at byte 0 declares 26 bytes but only 25 remain")]
    public void Broken_ibeacon_frames_are_rejected_with_a_reason(string hex, string reason)
    {
        var bytes = TestHex.Bytes(hex);

        var ad = AdvertisementParser.Parse(bytes);
        Assert.False(ad.IsValid);
        Assert.Equal(reason, ad.Error);
        Assert.Empty(ad.Frames);
        Assert.Equal(AdvertisementResult.Malformed, AdvertisementParser.TryReadIBeacon(bytes, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    // AltBeacon/android-beacon-library AltBeaconParserTest.java (testParsesBeaconMissingDataField): AD length 0x1A, so the
    // manufacturer-reserved byte is missing. That library tolerates it; the spec fixes the AD length at 0x1B, so it is rejected here.
    [InlineData("02011a 1aff1801beac2f234454cf6d4a0fadf2f4911ba9ffa600010002c5 000000", "AltBeacon frame has 21 bytes after the beacon code; 22 are required")]
    // AltBeacon/android-beacon-library BeaconParserTest.java (testParseManufacturerIdentifierThatRunsOverPduLength): AD length 0x16.
    [InlineData("02011a 16ff1801beac2f234454cf6d4a0fadf2f4911ba9ffa600010002c509000000", "AltBeacon frame has 17 bytes after the beacon code; 22 are required")]
    // RadiusAltBeacon with one extra byte and the AD length raised to 0x1C.
    [InlineData("02011a 1cff1801beac2f234454cf6d4a0fadf2f4911ba9ffa600010002c50900", "AltBeacon frame has 23 bytes after the beacon code; 22 are required")]
    // RadiusAltBeacon cut off in the beacon id.
    [InlineData("02011a 1bff1801beac2f234454cf6d4a0fadf2f4", "AD structure at byte 3 declares 27 bytes but only 16 remain")]
    public void Broken_altbeacon_frames_are_rejected_with_a_reason(string hex, string reason)
    {
        var ad = AdvertisementParser.Parse(TestHex.Bytes(hex));

        Assert.False(ad.IsValid);
        Assert.Equal(reason, ad.Error);
        Assert.Empty(ad.Frames);
    }

    [Theory]
    // AltBeacon/android-beacon-library BeaconParserTest.java (testLongUrlBeaconIdentifier): after a valid URL frame,
    // the bytes read as a TX power level structure with 8 bytes of data.
    [InlineData(
        "0201060303aafe0d16aafe10e70102030405060708090a0b0c0d0e0f0102030405060708090a0b0c0d0e0f00000000000000000000000000000000000000",
        "TX power level at byte 21 has 8 bytes; 1 is required")]
    // Constructed: a complete 16-bit service UUID list with an odd number of bytes.
    [InlineData("020106 0403AAFE01", "16-bit service UUID list at byte 3 has 3 bytes; a whole number of 2-byte UUIDs is required")]
    // Constructed: service data too short to hold its 16-bit UUID.
    [InlineData("020106 0216AA", "service data at byte 3 has 1 byte; a 16-bit UUID needs 2")]
    [InlineData("", "advertisement is empty")]
    public void Broken_generic_structures_are_rejected_with_a_reason(string hex, string reason)
    {
        var ad = AdvertisementParser.Parse(hex.Length == 0 ? [] : TestHex.Bytes(hex));

        Assert.False(ad.IsValid);
        Assert.Equal(reason, ad.Error);
        Assert.Null(ad.Flags);
        Assert.Null(ad.LocalName);
    }

    [Fact]
    public void Overlong_input_is_rejected()
    {
        var ad = AdvertisementParser.Parse(new byte[AdvertisementParser.MaxPayloadLength + 1]);

        Assert.Equal("advertisement is 256 bytes; at most 255 are allowed", ad.Error);
    }

    [Fact]
    public void A_default_result_is_an_empty_valid_advertisement()
    {
        var ad = default(ParsedAdvertisement);

        Assert.True(ad.IsValid);
        Assert.Empty(ad.Frames);
    }
}

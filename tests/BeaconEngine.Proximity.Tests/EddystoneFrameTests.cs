using BeaconEngine.Proximity.Advertising;

namespace BeaconEngine.Proximity.Tests;

/// <summary>
/// <see cref="AdvertisementParser.Parse"/> on Eddystone frames (google/eddystone). Full advertisements are used where a
/// source published one; where a source gives only the frame bytes, the test wraps them in a service data structure
/// for UUID 0xFEAA with <see cref="ServiceData"/>, and the comment says so.
/// </summary>
public sealed class EddystoneFrameTests
{
    // Blue Charm BC011 captures: flags, complete 16-bit UUID list with FEAA, the Eddystone frame, service data 0x2080,
    // complete local name, padding. LineageOS/android_packages_modules_Bluetooth
    // framework/tests/unit/src/android/bluetooth/le/ScanRecordTest.java (RECORD_UUID, RECORD_URL, RECORD_TLM).
    private const string BlueCharmUid =
        "020106 0303AAFE 1716AAFE00EE626C7565636861726D310000000000010000 09168020691E0EFE1355 1109426C7565436861726D5F313639363835 000000";

    private const string BlueCharmUrl =
        "020106 0303AAFE 1716AAFE10EE01626C7565636861726D626561636F6E7300 09168020691E0EFE1355 1109426C7565436861726D5F313639363835 000000";

    private const string BlueCharmTlm =
        "020106 0303AAFE 1116AAFE20000BF017000008874803FB9354 0916802069080EFE1355 1109426C7565436861726D5F313639363835 000000000000000000";

    [Theory]
    [InlineData(BlueCharmUid, -18, "626c7565636861726d31", "000000000001")]
    // 18-byte UID without the RFU bytes, then padding:
    // AltBeacon/android-beacon-library lib/src/test/java/org/altbeacon/beacon/GattBeaconTest.java (testDetectsEddystoneUID).
    [InlineData(
        "020106 0303aafe 1516aafe00e700010203040506070809010203040506 000000000000000000000000000000000000000000000000000000000000000000",
        -25, "00010203040506070809", "010203040506")]
    // Frame from reelyactive/advlib-ble-services test/unit/eddystone.test.js (INPUT_DATA_EDDYSTONE_UID), which expects
    // txPower -4 and device id "00112233445566778899/aabbccddeeff"; wrapped here.
    [InlineData("1716AAFE 00fc00112233445566778899aabbccddeeff0000", -4, "00112233445566778899", "aabbccddeeff")]
    // Frame from the reelyactive/advlib README.md Eddystone-UID example (txPower 18 dBm); wrapped here.
    [InlineData("1716AAFE 00128b0ca750095477cb3e770011223344550000", 18, "8b0ca750095477cb3e77", "001122334455")]
    public void Reads_uid_frames(string hex, int txPower, string namespaceHex, string instanceHex)
    {
        var uid = Assert.IsType<BeaconFrame.EddystoneUid>(SingleFrame(hex));

        Assert.Equal(BeaconFrameKind.EddystoneUid, uid.Kind);
        Assert.Equal(txPower, uid.TxPowerAt0m);
        Assert.Equal(namespaceHex, uid.NamespaceHex);
        Assert.Equal(instanceHex, uid.InstanceHex);
        Assert.Equal($"{namespaceHex}/{instanceHex}", uid.Key);
    }

    [Fact]
    public void A_captured_advertisement_yields_the_frame_the_name_and_the_eddystone_service_list()
    {
        var ad = AdvertisementParser.Parse(TestHex.Bytes(BlueCharmUid));

        Assert.True(ad.IsValid, ad.Error);
        Assert.True(ad.ListsEddystoneService);
        Assert.Equal("BlueCharm_169685", ad.LocalName);
        Assert.Equal(AdvertisingFlags.LeGeneralDiscoverable | AdvertisingFlags.BrEdrNotSupported, ad.Flags);
        var uid = Assert.IsType<BeaconFrame.EddystoneUid>(Assert.Single(ad.Frames));
        Assert.Equal(new UInt128(0x626C, 0x7565636861726D31), uid.Namespace);
        Assert.Equal(1UL, uid.Instance);
    }

    [Fact]
    public void Frames_compare_by_value()
    {
        var first = AdvertisementParser.Parse(TestHex.Bytes(BlueCharmUid)).Frames[0];
        var second = AdvertisementParser.Parse(TestHex.Bytes(BlueCharmUid)).Frames[0];

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Theory]
    // "https://www." + "bluecharmbeacons" + 0x00 (".com/").
    [InlineData(BlueCharmUrl, -18, "https://www.bluecharmbeacons.com/")]
    // "http://" + "google" + 0x00 (".com/"), followed by the local name "RadBeacon G":
    // AltBeacon/android-beacon-library lib/src/test/java/org/altbeacon/beacon/BeaconParserTest.java (testParseGattIdentifierThatRunsOverPduLength).
    [InlineData(
        "020106 0303aafe 0d16aafe10e702676f6f676c6500 0c09526164426561636f6e2047 00000000000000000000000000000000000000000000000000000000",
        -25, "http://google.com/")]
    // Frame from reelyactive/advlib-ble-services test/unit/eddystone.test.js (INPUT_DATA_EDDYSTONE_URL), wrapped here:
    // "https://" + "getpareto" + 0x07 (".com").
    [InlineData("1016AAFE 10000367657470617265746f07", 0, "https://getpareto.com")]
    // Frame from the reelyactive/advlib README.md Eddystone-URL example, wrapped here: "http://" + "reelyactive" + 0x07.
    [InlineData("1216AAFE 1012027265656c7961637469766507", 18, "http://reelyactive.com")]
    public void Reads_url_frames(string hex, int txPower, string url)
    {
        var frame = Assert.IsType<BeaconFrame.EddystoneUrl>(SingleFrame(hex));

        Assert.Equal(BeaconFrameKind.EddystoneUrl, frame.Kind);
        Assert.Equal(txPower, frame.TxPowerAt0m);
        Assert.Equal(url, frame.Url);
    }

    [Theory]
    // Encoded URLs (scheme byte onwards) and their expected expansions from AltBeacon/android-beacon-library
    // lib/src/test/java/org/altbeacon/beacon/utils/UrlBeaconUrlCompressorTest.java; framed here as 10 EB <encoded>.
    [InlineData("02676f6f676c652e636f", "http://google.co")]                              // testDecompressWithDotCoTLD
    [InlineData("02676f6f676c6500313233", "http://google.com/123")]                      // testDecompressWithPath: 0x00
    [InlineData("017261646975736e6574776f726b7307", "https://www.radiusnetworks.com")]    // testUncompressHttpsURL: 0x07
    [InlineData("017261646975736e6574776f726b7300", "https://www.radiusnetworks.com/")]  // ...WithTrailingSlash: 0x00
    [InlineData("02787878", "http://xxx")]                                              // testUncompressWithoutTLD
    [InlineData("00666f72756d732e676f6f676c6507", "http://www.forums.google.com")]      // testUncompressWithSubdomains
    [InlineData("02676f6f676c650b", "http://google.info")]                              // testUncompressWithDotInfoTLD: 0x0B
    public void Expands_url_schemes_and_codes(string encoded, string url)
    {
        var frame = Assert.IsType<BeaconFrame.EddystoneUrl>(SingleFrame(ServiceData("10EB" + encoded)));

        Assert.Equal(url, frame.Url);
        Assert.Equal(-21, frame.TxPowerAt0m);
    }

    [Fact]
    public void Expands_every_defined_code()
    {
        // Constructed from the expansion table in google/eddystone eddystone-url/README.md: codes 0x00-0x0D after
        // "https://" would not fit one frame, so they are split over two.
        var first = Assert.IsType<BeaconFrame.EddystoneUrl>(SingleFrame(ServiceData("1000 03 61 00 01 02 03 04 05 06")));
        var second = Assert.IsType<BeaconFrame.EddystoneUrl>(SingleFrame(ServiceData("1000 02 62 07 08 09 0A 0B 0C 0D")));

        Assert.Equal("https://a.com/.org/.edu/.net/.info/.biz/.gov/", first.Url);
        Assert.Equal("http://b.com.org.edu.net.info.biz.gov", second.Url);
    }

    [Theory]
    [InlineData(BlueCharmTlm, 3056, 23.0, 558920u, 66818900L)]
    // Frame from the reelyactive/advlib README.md Eddystone-TLM example (3000 mV, 24 C, count 1, uptime 1 s); wrapped here.
    [InlineData("1116AAFE 20000bb81800000000010000000a", 3000, 24.0, 1u, 10L)]
    // Frame from reelyactive/advlib-ble-services test/unit/eddystone.test.js (INPUT_DATA_EDDYSTONE_TLM:
    // 3.0 V, 21 C, txCount 69, uptime 60000 ms); wrapped here.
    [InlineData("1116AAFE 20000bb815000000004500000258", 3000, 21.0, 69u, 600L)]
    public void Reads_plain_tlm_frames(string hex, int millivolts, double celsius, uint advertisements, long tenthsOfSecond)
    {
        var tlm = Assert.IsType<BeaconFrame.EddystoneTlm>(SingleFrame(hex));

        Assert.Equal(BeaconFrameKind.EddystoneTlm, tlm.Kind);
        Assert.Equal((ushort)millivolts, tlm.BatteryMillivolts);
        Assert.Equal(celsius, tlm.TemperatureCelsius);
        Assert.Equal(advertisements, tlm.AdvertisementCount);
        Assert.Equal(TimeSpan.FromMilliseconds(tenthsOfSecond * 100), tlm.Uptime);
    }

    [Fact]
    public void Tlm_fields_the_beacon_does_not_support_are_null()
    {
        // Frame from reelyactive/advlib test/unit/ble/data/gatt/services/members/google.test.js (INPUT_DATA_TLM: vBatt 0000,
        // temp 8000, both counters 0). That test's AD length byte (0x18) does not match its 14-byte frame; the
        // structure is rebuilt here with the correct length 0x11.
        var tlm = Assert.IsType<BeaconFrame.EddystoneTlm>(SingleFrame("1116AAFE 2000 0000 8000 00000000 00000000"));

        Assert.Null(tlm.BatteryMillivolts);
        Assert.Null(tlm.TemperatureCelsius);
        Assert.Equal(0u, tlm.AdvertisementCount);
        Assert.Equal(TimeSpan.Zero, tlm.Uptime);
    }

    [Fact]
    public void Negative_temperatures_are_signed_fixed_point()
    {
        // Constructed from the 8.8 fixed-point rule in google/eddystone eddystone-tlm/tlm-plain.md: 0xFF80 = -0.5 C.
        var tlm = Assert.IsType<BeaconFrame.EddystoneTlm>(SingleFrame("1116AAFE 2000 0BB8 FF80 00000001 00000001"));

        Assert.Equal(-0.5, tlm.TemperatureCelsius);
        Assert.Equal(TimeSpan.FromMilliseconds(100), tlm.Uptime);
    }

    [Fact]
    public void Reads_an_encrypted_tlm_frame_as_its_raw_parts()
    {
        // Frame from the reelyactive/advlib README.md encrypted TLM example (etlm 112233445566778899aabbcc, salt 0123,
        // mic abcd); wrapped here.
        var hex = ServiceData("2001112233445566778899aabbcc0123abcd");
        var etlm = Assert.IsType<BeaconFrame.EddystoneEncryptedTlm>(SingleFrame(hex));

        Assert.Equal(BeaconFrameKind.EddystoneEncryptedTlm, etlm.Kind);
        Assert.Equal(TestHex.Bytes("112233445566778899aabbcc"), etlm.EncryptedTelemetry.ToArray());
        Assert.Equal(0x0123, etlm.Salt);
        Assert.Equal(0xABCD, etlm.IntegrityCheck);
        Assert.Equal(etlm, SingleFrame(hex));
        Assert.NotEqual(etlm, SingleFrame(ServiceData("2001112233445566778899aabbcd0123abcd")));
    }

    [Fact]
    public void Reads_an_eid_frame()
    {
        // Frame from the reelyactive/advlib README.md Eddystone-EID example (txPower 0 dBm, eid 1122334455667788); wrapped here.
        var eid = Assert.IsType<BeaconFrame.EddystoneEid>(SingleFrame(ServiceData("30001122334455667788")));

        Assert.Equal(BeaconFrameKind.EddystoneEid, eid.Kind);
        Assert.Equal(0, eid.TxPowerAt0m);
        Assert.Equal(0x1122334455667788UL, eid.EphemeralId);
        Assert.Equal("1122334455667788", eid.EphemeralIdHex);
    }

    [Fact]
    public void Frame_types_this_parser_does_not_know_are_skipped()
    {
        // Eddystone E2EE-EID (frame type 0x40): LineageOS/android_packages_modules_Bluetooth
        // framework/tests/unit/src/android/bluetooth/le/ScanRecordTest.java (RECORD_E2EE_EID).
        var ad = AdvertisementParser.Parse(TestHex.Bytes("020106 1816AAFE400000000000000000000000000000000000000000"));

        Assert.True(ad.IsValid, ad.Error);
        Assert.Empty(ad.Frames);
    }

    [Theory]
    // UID: the GattBeaconTest frame cut to 15 bytes.
    [InlineData("1216AAFE 00e700010203040506070809010203", "Eddystone UID frame has 15 bytes; 18 or 20 are required")]
    // UID: the advlib-ble-services frame with one RFU byte only.
    [InlineData("1616AAFE 00fc00112233445566778899aabbccddeeff00", "Eddystone UID frame has 19 bytes; 18 or 20 are required")]
    // URL: AltBeacon/android-beacon-library GattBeaconTest.java (doesNotCrashOnMalformedEddystoneBeacon): frame type only.
    [InlineData(
        "0201060303aafe0416aafe100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "Eddystone URL frame has 1 byte; 3 to 20 are required")]
    // URL: UrlBeaconUrlCompressorTest.java (testUncompressWithSubdomainsAndSlashesInPath) decompresses a 22-byte
    // encoding; a frame holds at most 18 (scheme plus 17), so framed as 10 EB <encoded> it is too long.
    [InlineData("1B16AAFE 10EB00666f72756d732e676f6f676c65003132332f343536", "Eddystone URL frame has 24 bytes; 3 to 20 are required")]
    // URL: the advlib-ble-services frame with scheme 0x04, which is undefined.
    [InlineData("1016AAFE 10000467657470617265746f07", "Eddystone URL scheme 0x04 is not defined; 0x00 to 0x03 are")]
    // URL: the advlib-ble-services frame with a space (0x20, reserved) and with 0x7F (reserved) in the URL.
    [InlineData("1016AAFE 10000367657420617265746f07", "Eddystone URL byte 0x20 at position 3 of the encoded URL is reserved")]
    [InlineData("1016AAFE 100003676574706172657f6f07", "Eddystone URL byte 0x7F at position 7 of the encoded URL is reserved")]
    // TLM: AltBeacon/android-beacon-library BeaconParserTest.java (testReEncodesBeaconForEddystoneTelemetry): its
    // service data structure declares 0x15 bytes but only 17 follow.
    [InlineData("0201060303aafe1516aafe2001021203130414243405152535", "AD structure at byte 7 declares 21 bytes but only 17 remain")]
    // TLM: the advlib README frame without its last byte.
    [InlineData("1016AAFE 20000bb818000000000100000000", "Eddystone TLM frame has 13 bytes; 14 are required")]
    // TLM: the advlib README frame with version 0x02.
    [InlineData("1116AAFE 20020bb81800000000010000000a", "Eddystone TLM version 0x02 is not defined; 0x00 (plain) and 0x01 (encrypted) are")]
    // TLM: frame type without a version.
    [InlineData("0416AAFE 20", "Eddystone TLM frame has 1 byte; a version byte is required")]
    // Encrypted TLM: the advlib README frame without its last MIC byte.
    [InlineData("1416AAFE 2001112233445566778899aabbcc0123ab", "Eddystone encrypted TLM frame has 17 bytes; 18 are required")]
    // EID: the advlib README frame one byte short, and one byte long.
    [InlineData("0C16AAFE 300011223344556677", "Eddystone EID frame has 9 bytes; 10 are required")]
    [InlineData("0E16AAFE 3000112233445566778899", "Eddystone EID frame has 11 bytes; 10 are required")]
    // Service data for FEAA with no frame type at all.
    [InlineData("0316AAFE", "Eddystone service data has no frame type byte")]
    public void Broken_frames_are_rejected_with_a_reason(string hex, string reason)
    {
        var bytes = TestHex.Bytes(hex);

        var ad = AdvertisementParser.Parse(bytes);
        Assert.False(ad.IsValid);
        Assert.Equal(reason, ad.Error);
        Assert.Empty(ad.Frames);
    }

    private static BeaconFrame SingleFrame(string hex)
    {
        var ad = AdvertisementParser.Parse(TestHex.Bytes(hex));
        Assert.True(ad.IsValid, ad.Error);
        return Assert.Single(ad.Frames);
    }

    /// <summary>Wraps Eddystone frame bytes (frame type onwards) in a service data AD structure for UUID 0xFEAA.</summary>
    private static string ServiceData(string frameHex)
    {
        var compact = frameHex.Replace(" ", "", StringComparison.Ordinal);
        return $"{(compact.Length / 2) + 3:X2}16AAFE{compact}";
    }
}

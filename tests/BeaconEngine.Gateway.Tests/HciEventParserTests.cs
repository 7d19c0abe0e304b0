using BeaconEngine.Gateway.Sources;

namespace BeaconEngine.Gateway.Tests;

/// <summary>
/// The HCI source's parsing on HCI event packets as a BlueZ raw socket delivers them (no radio here). The legacy
/// reports are captures published with open-source beacon scanners (<c>hcidump --raw</c> output of an iBeacon, a
/// Tilt hydrometer and a RuuviTag); the extended report is the test vector of Google's Bumble HCI suite
/// (<c>hci_test.py::test_HCI_LE_Extended_Advertising_Report_Event</c>).
/// </summary>
public sealed class HciEventParserTests
{
    // > 04 3E 2A 02 01 03 00 EC F8 00 EE F3 0C 1E 02 01 04 1A FF 4C ... : ADV_NONCONN_IND, public address, an iBeacon at -69 dBm.
    private const string IBeaconCapture =
        "043E2A020103" + "00" + "ECF800EEF30C" + "1E" + "0201041AFF4C000215" + "8DEEFBB9F7384297804096668BB44281" + "1388" + "0F4E" + "C1" + "BB";

    // A Tilt hydrometer: an iBeacon from a random address at -84 dBm.
    private const string TiltCapture = "043E2A02010301E54DAA4B87F61E0201041AFF4C000215A495BB30C5B14B44B5121370F02D74DE001E03F668AC";

    // A RuuviTag broadcasting an Eddystone-URL frame at -51 dBm: BLE traffic that is not a shopper's phone.
    private const string RuuviCapture = "043E2A0201030157168974A5F41E0201060303AAFE1616AAFE10EE037275752E76692F23416A7759414D4666CD";

    // Bumble's vector: a connectable extended advertisement on LE 1M / LE Coded, TX 10 dBm, RSSI 100 (as the vector has it).
    private const string BumbleExtended =
        "043E380D010100005544332211000103000A640200005544332211001E0201061106BA5689A6FABFA2BD01467D6E00FBABAD08160A181604659B03";

    [Fact]
    public void A_legacy_report_of_an_ibeacon_gives_its_address_rssi_and_identity()
    {
        var reports = Parse(IBeaconCapture, out var error);

        Assert.Null(error);
        var report = Assert.Single(reports);
        Assert.Equal(3, report.EventType);
        Assert.Equal(0, report.AddressType);
        Assert.Equal("0C:F3:EE:00:F8:EC", report.Address);
        Assert.Equal(-69, report.Rssi);
        Assert.Equal(30, report.Data.Length);

        var at = DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var sighting = HciSource.ToSighting(report, at, iBeaconOnly: true);
        Assert.NotNull(sighting);
        Assert.Equal(at, sighting.Value.At);
        Assert.Equal(-69, sighting.Value.Rssi);
        Assert.Equal(Guid.Parse("8DEEFBB9-F738-4297-8040-96668BB44281"), sighting.Value.IBeacon!.Value.Uuid);
        Assert.Equal(5000, sighting.Value.IBeacon.Value.Major);
        Assert.Equal(3918, sighting.Value.IBeacon.Value.Minor);
    }

    [Fact]
    public void A_random_address_ibeacon_reads_too()
    {
        var report = Assert.Single(Parse(TiltCapture, out var error));

        Assert.Null(error);
        Assert.Equal(1, report.AddressType);
        Assert.Equal("F6:87:4B:AA:4D:E5", report.Address);
        Assert.Equal(-84, report.Rssi);
        var identity = HciSource.ToSighting(report, DateTimeOffset.UnixEpoch, iBeaconOnly: true)!.Value.IBeacon!.Value;
        Assert.Equal((Guid.Parse("A495BB30-C5B1-4B44-B512-1370F02D74DE"), 30, 1014), (identity.Uuid, (int)identity.Major, (int)identity.Minor));
    }

    [Fact]
    public void Other_ble_traffic_stays_on_the_box_unless_asked_for()
    {
        var report = Assert.Single(Parse(RuuviCapture, out var error));

        Assert.Null(error);
        Assert.Equal("F4:A5:74:89:16:57", report.Address);
        Assert.Equal(-51, report.Rssi);
        Assert.Null(HciSource.ToSighting(report, DateTimeOffset.UnixEpoch, iBeaconOnly: true));
        var raw = HciSource.ToSighting(report, DateTimeOffset.UnixEpoch, iBeaconOnly: false)!.Value;
        Assert.Null(raw.IBeacon);
        Assert.Equal(report.Data, raw.RawData);
    }

    [Fact]
    public void An_extended_report_reads_its_fields_at_their_offsets()
    {
        var report = Assert.Single(Parse(BumbleExtended, out var error));

        Assert.Null(error);
        Assert.Equal(1, report.EventType);
        Assert.Equal("00:11:22:33:44:55", report.Address);
        Assert.Equal(100, report.Rssi);
        Assert.Equal(Convert.FromHexString("0201061106BA5689A6FABFA2BD01467D6E00FBABAD08160A181604659B03"), report.Data);
    }

    [Fact]
    public void An_ibeacon_in_an_extended_report_is_a_sighting_and_a_fragment_is_not()
    {
        var data = Convert.FromHexString(IBeaconCapture)[14..^1];

        // Event type 0x0010: a legacy ADV_NONCONN_IND reported through the extended event, as Bluetooth 5 controllers do.
        var complete = Assert.Single(Parse(Extended(0x0010, rssi: 0xC4, data), out var error));
        Assert.Null(error);
        Assert.Equal(-60, complete.Rssi);
        Assert.Equal(5000, HciSource.ToSighting(complete, DateTimeOffset.UnixEpoch, iBeaconOnly: true)!.Value.IBeacon!.Value.Major);

        // Data status 01 (bits 5-6): more data follows in a later report; the agent does not guess at a fragment.
        Assert.Empty(Parse(Extended(0x0020, rssi: 0xC4, data), out error));
        Assert.Null(error);

        // RSSI 127: the controller had no reading.
        Assert.Empty(Parse(Extended(0x0010, rssi: 0x7F, data), out error));
        Assert.Null(error);
    }

    [Fact]
    public void A_report_without_rssi_is_skipped()
    {
        var packet = Convert.FromHexString(IBeaconCapture);
        packet[^1] = 0x7F;

        Assert.Empty(Parse(Convert.ToHexString(packet), out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData(IBeaconCapture + "00", "parameter bytes")]                  // longer than its length byte says
    [InlineData("043E2A02010300ECF800EEF30C1E0201", "parameter bytes")]     // cut short
    [InlineData("043E0C020103" + "00ECF800EEF30C" + "1E" + "BB", "claims 30 data bytes")] // a length byte past the end
    [InlineData("043E01" + "02", "without a subevent")]
    [InlineData("043E0E020203" + "00ECF800EEF30C" + "00" + "BB" + "0300", "truncated")] // two reports announced, one and a half given
    public void Broken_packets_yield_nothing_and_say_why(string hex, string reason)
    {
        var reports = Parse(hex, out var error);

        Assert.Empty(reports);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("040E0401032000")]   // Command Complete of LE Set Scan Enable
    [InlineData("043E0414070001")]   // LE Channel Selection Algorithm (another LE Meta subevent)
    [InlineData("02010020")]         // an ACL data packet
    [InlineData("")]
    public void Packets_that_are_not_advertising_reports_are_ignored_quietly(string hex)
    {
        Assert.Empty(Parse(hex, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Scan_commands_are_the_le_controller_commands_of_the_specification()
    {
        // OGF 0x08, OCF 0x000C: LE Set Scan Enable (enable, no duplicate filtering, so every advertisement is a reading).
        Assert.Equal("010C20020100", Convert.ToHexString(HciCommands.SetScanEnable(true)));
        Assert.Equal("010C20020000", Convert.ToHexString(HciCommands.SetScanEnable(false)));

        // OCF 0x000B: LE Set Scan Parameters, passive, 10 ms interval and window, public address, accept all.
        Assert.Equal("010B200700100010000000", Convert.ToHexString(HciCommands.SetScanParameters(active: false)));
    }

    private static List<HciAdvertisingReport> Parse(string hex, out string? error)
    {
        var reports = new List<HciAdvertisingReport>();
        error = HciEventParser.Parse(Convert.FromHexString(hex), reports);
        return reports;
    }

    /// <summary>An LE Extended Advertising Report event with one report, laid out as Core 5.x Vol 4 Part E 7.7.65.13.</summary>
    private static string Extended(int eventType, byte rssi, byte[] data)
    {
        byte[] report =
        [
            (byte)eventType, (byte)(eventType >> 8), 0x00, 0xEC, 0xF8, 0x00, 0xEE, 0xF3, 0x0C, // type, public address
            0x01, 0x00, 0xFF, 0x7F, rssi,                                                   // LE 1M, no secondary PHY, no SID, no TX power, RSSI
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,                           // no periodic interval, no direct address
            (byte)data.Length, .. data,
        ];
        return Convert.ToHexString([0x04, 0x3E, (byte)(report.Length + 2), 0x0D, 0x01, .. report]);
    }
}

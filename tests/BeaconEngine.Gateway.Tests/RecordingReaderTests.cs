using System.Globalization;
using BeaconEngine.Gateway.Sources;
using BeaconEngine.Proximity.Evaluation;

namespace BeaconEngine.Gateway.Tests;

/// <summary>Recorded files the agent replays: the Kolakowski 2021 walk, plain CSV and JSON Lines.</summary>
public sealed class RecordingReaderTests
{
    private const string Tag = "e2c56db5-dffb-48d2-b060-d0f5a71096e0:1:7";

    [Fact]
    public void A_kolakowski_walk_gives_one_receivers_readings_as_sightings_of_the_configured_tag()
    {
        var path = Path.Combine(SharedData.Folder("kolakowski2021"), "test_walk_df.csv");
        var lines = File.ReadAllLines(path);
        Assert.Equal(RecordingFormat.Kolakowski, RecordingReader.Detect(path, lines[0]));

        // What the file holds for receiver 3: the rows whose rssi_3 cell is not blank.
        var column = Array.IndexOf(lines[0].Split(','), "rssi_3");
        var expected = lines.Skip(1).Select(l => l.Split(',')).Where(c => c[column].Length > 0).ToList();

        var errors = new List<string>();
        using var reader = new StringReader(string.Join('\n', lines));
        var sightings = RecordingReader.Read(reader, RecordingFormat.Kolakowski, new SourceOptions { Anchor = 3, Identity = Tag }, (n, e) => errors.Add($"{n}: {e}")).ToList();

        Assert.Empty(errors);
        Assert.Equal(expected.Count, sightings.Count);
        Assert.True(sightings.Count > 100);
        var first = expected[0];
        Assert.Equal(Math.Round(double.Parse(first[column], CultureInfo.InvariantCulture), 2), sightings[0].Rssi);
        var ns = double.Parse(first[1], CultureInfo.InvariantCulture);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks((long)(ns / 100)), sightings[0].At);
        Assert.Equal(2021, sightings[0].At.Year);
        Assert.All(sightings, s => Assert.Equal((ushort)7, s.IBeacon!.Value.Minor));
        Assert.True(sightings.Zip(sightings.Skip(1)).All(p => p.First.At <= p.Second.At), "rows are in time order");
    }

    [Fact]
    public void A_kolakowski_walk_without_a_tag_identity_is_refused_with_a_reason()
    {
        var errors = new List<string>();
        using var reader = new StringReader(",ts,rssi_1\n0,1.6e18,-70\n");

        Assert.Empty(RecordingReader.Read(reader, RecordingFormat.Kolakowski, new SourceOptions(), (_, e) => errors.Add(e)));
        Assert.Contains("Source:Identity", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_rows_read_by_their_header_and_a_broken_row_is_skipped_with_its_line_number()
    {
        const string csv = """
            ts,rssi,uuid,major,minor
            1795000000000,-61,e2c56db5-dffb-48d2-b060-d0f5a71096e0,1,7
            2026-11-23T10:00:00.250Z,-62.5,e2c56db5-dffb-48d2-b060-d0f5a71096e0,1,8
            1795000001000,-63,not-a-uuid,1,9
            1795000002000,loud,e2c56db5-dffb-48d2-b060-d0f5a71096e0,1,9
            """;
        var errors = new List<int>();

        var sightings = RecordingReader.ReadCsv(new StringReader(csv), (n, _) => errors.Add(n)).ToList();

        Assert.Equal(2, sightings.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795000000000), sightings[0].At);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, 250, TimeSpan.Zero), sightings[1].At);
        Assert.Equal(-62.5, sightings[1].Rssi);
        Assert.Equal([4, 5], errors);
    }

    [Fact]
    public void Json_lines_take_an_ibeacon_or_raw_advertising_data()
    {
        const string ibeaconAd = "0201041AFF4C000215E2C56DB5DFFB48D2B060D0F5A71096E000010007C5";
        const string eddystoneAd = "0201060303AAFE1616AAFE10EE037275752E76692F23416A7759414D4666";
        var text = string.Join('\n',
            """{"ts":1795000000000,"rssi":-60,"ibeacon":{"uuid":"e2c56db5-dffb-48d2-b060-d0f5a71096e0","major":1,"minor":7}}""",
            $$"""{"ts":"2026-11-23T10:00:00Z","rssi":-61,"rawData":"{{ibeaconAd}}"}""",
            $$"""{"ts":1795000000500,"rssi":-62,"rawData":"{{eddystoneAd}}"}""",
            """{"rssi":-60,"ibeacon":{"uuid":"e2c56db5-dffb-48d2-b060-d0f5a71096e0","major":1,"minor":7}}""",
            "not json");
        var errors = new List<(int Line, string Error)>();

        var sightings = RecordingReader.ReadJsonLines(new StringReader(text), (n, e) => errors.Add((n, e))).ToList();

        Assert.Equal(3, sightings.Count);
        Assert.Equal((ushort)7, sightings[0].IBeacon!.Value.Minor);
        Assert.Equal((ushort)7, sightings[1].IBeacon!.Value.Minor);
        Assert.Null(sightings[2].IBeacon);
        Assert.Equal(Convert.FromHexString(eddystoneAd), sightings[2].RawData);
        Assert.Equal([4, 5], errors.Select(e => e.Line));
        Assert.Contains("'ts' is required", errors[0].Error, StringComparison.Ordinal);
    }
}

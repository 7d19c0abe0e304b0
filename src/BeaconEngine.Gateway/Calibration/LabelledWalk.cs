using System.Globalization;

namespace BeaconEngine.Gateway.Calibration;

/// <summary>One row of a labelled walk: when, where the device truly was (a point and/or a zone), and each receiver's RSSI (null: not heard).</summary>
public sealed record LabelledRow(DateTimeOffset At, double? X, double? Y, string? Zone, double?[] Rssi);

/// <summary>
/// A recorded walk with ground truth, in the Kolakowski 2021 dataset's CSV layout (<c>,ts,x,heading,y,rssi_1..rssi_N</c>,
/// <c>ts</c> in Unix nanoseconds), optionally with a <c>zone</c> column.
/// </summary>
public sealed class LabelledWalk
{
    private LabelledWalk(IReadOnlyList<string> receivers, IReadOnlyList<LabelledRow> rows)
    {
        Receivers = receivers;
        Rows = rows;
    }

    /// <summary>The receivers' numbers, in column order (the N of <c>rssi_N</c>).</summary>
    public IReadOnlyList<string> Receivers { get; }

    /// <summary>In time order.</summary>
    public IReadOnlyList<LabelledRow> Rows { get; }

    public static LabelledWalk Read(TextReader reader, int maxRows = 0)
    {
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray()
            ?? throw new InvalidDataException("The recording is empty.");
        var ts = Array.IndexOf(header, "ts");
        if (ts < 0)
        {
            throw new InvalidDataException("The recording has no 'ts' column (Unix nanoseconds).");
        }

        var x = Array.IndexOf(header, "x");
        var y = Array.IndexOf(header, "y");
        var zone = Array.IndexOf(header, "zone");
        if ((x < 0 || y < 0) && zone < 0)
        {
            throw new InvalidDataException("The recording says nowhere where the device was: it needs 'x' and 'y' (metres) or 'zone' columns.");
        }

        var rssi = header.Select((h, i) => (h, i)).Where(p => p.h.StartsWith("rssi_", StringComparison.Ordinal)).ToArray();
        if (rssi.Length == 0)
        {
            throw new InvalidDataException("The recording has no 'rssi_N' columns.");
        }

        var rows = new List<LabelledRow>();
        while (reader.ReadLine() is { } line && (maxRows == 0 || rows.Count < maxRows))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            rows.Add(new LabelledRow(
                DateTimeOffset.UnixEpoch.AddTicks((long)(Number(Cell(cells, ts)) ?? throw new InvalidDataException($"A row has no 'ts': {line}")) / 100),
                Number(Cell(cells, x)),
                Number(Cell(cells, y)),
                Cell(cells, zone) is { Length: > 0 } z ? z : null,
                [.. rssi.Select(c => Number(Cell(cells, c.i)))]));
        }

        rows.Sort((a, b) => a.At.CompareTo(b.At));
        return new LabelledWalk([.. rssi.Select(c => c.h["rssi_".Length..])], rows);
    }

    private static string? Cell(string[] cells, int index) => index >= 0 && index < cells.Length ? cells[index].Trim() : null;

    private static double? Number(string? text) =>
        string.IsNullOrEmpty(text) ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}

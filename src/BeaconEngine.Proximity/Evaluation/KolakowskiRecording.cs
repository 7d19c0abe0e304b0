using System.Globalization;

namespace BeaconEngine.Proximity.Evaluation;

/// <summary>A fixed receiver of a recording, at <paramref name="X"/>, <paramref name="Y"/> metres.</summary>
public readonly record struct Anchor(int Id, double X, double Y);

/// <summary>One row of a recording: when, where the tag truly was (if known), and what each receiver heard (null: nothing).</summary>
public sealed record RecordingRow(DateTimeOffset At, double? X, double? Y, double?[] Rssi);

/// <summary>
/// Reads recordings in the format of the Kolakowski 2021 BLE dataset (M. Kolakowski, "Automated
/// Calibration of RSS Fingerprinting Based Systems Using a Mobile Robot and Machine Learning",
/// Sensors 21, 6270 (2021), doi:10.3390/s21186270; data doi:10.5281/zenodo.5457591, CC BY 4.0):
/// <c>anchors.csv</c> (id,x,y,z), <c>layout.csv</c> (wall outline x,y) and walk files with columns
/// <c>ts</c> (Unix nanoseconds), optional <c>x</c>,<c>y</c>, and <c>rssi_1..rssi_N</c> (blank: not heard).
/// </summary>
public sealed class KolakowskiRecording
{
    private KolakowskiRecording(IReadOnlyList<Anchor> anchors, IReadOnlyList<(double X, double Y)> outline, IReadOnlyList<RecordingRow> rows)
    {
        Anchors = anchors;
        Outline = outline;
        Rows = rows;
    }

    public IReadOnlyList<Anchor> Anchors { get; }

    /// <summary>The walls' outline as a closed polygon; empty when the recording has no layout.</summary>
    public IReadOnlyList<(double X, double Y)> Outline { get; }

    /// <summary>Rows in time order.</summary>
    public IReadOnlyList<RecordingRow> Rows { get; }

    public static KolakowskiRecording Load(string folder, string walkFile)
    {
        var anchors = ReadCsv(Path.Combine(folder, "anchors.csv"))
            .Select(r => new Anchor(int.Parse(r["id"], CultureInfo.InvariantCulture), Number(r["x"]), Number(r["y"])))
            .OrderBy(a => a.Id)
            .ToArray();
        var layoutPath = Path.Combine(folder, "layout.csv");
        var outline = File.Exists(layoutPath)
            ? ReadCsv(layoutPath).Select(r => (Number(r["x"]), Number(r["y"]))).ToArray()
            : [];
        var rows = ReadCsv(Path.Combine(folder, walkFile))
            .Select(r => new RecordingRow(
                DateTimeOffset.UnixEpoch.AddTicks((long)(Number(r["ts"]) / 100)),
                r.TryGetValue("x", out var x) ? Number(x) : null,
                r.TryGetValue("y", out var y) ? Number(y) : null,
                [.. anchors.Select(a => r.TryGetValue($"rssi_{a.Id}", out var v) && v.Length > 0 ? Number(v) : (double?)null)]))
            .OrderBy(r => r.At)
            .ToArray();
        return new KolakowskiRecording(anchors, outline, rows);
    }

    /// <summary>The anchor nearest (in x,y) to a point: the ground truth of a zone-per-receiver layout.</summary>
    public Anchor Nearest(double x, double y) =>
        Anchors.MinBy(a => ((a.X - x) * (a.X - x)) + ((a.Y - y) * (a.Y - y)));

    /// <summary>
    /// Zone adjacency of a zone-per-receiver layout: two receivers' zones are neighbours when their
    /// nearest-receiver cells touch inside the walls (sampled on a 5 cm grid).
    /// </summary>
    public IEnumerable<(int A, int B)> CellNeighbours(double step = 0.05)
    {
        if (Outline.Count == 0)
        {
            return [];
        }

        var maxX = Outline.Max(p => p.X);
        var maxY = Outline.Max(p => p.Y);
        var nx = (int)(maxX / step) + 1;
        var ny = (int)(maxY / step) + 1;
        var cell = new int[nx, ny];
        for (var i = 0; i < nx; i++)
        {
            for (var j = 0; j < ny; j++)
            {
                cell[i, j] = Inside(i * step, j * step) ? Nearest(i * step, j * step).Id : 0;
            }
        }

        var pairs = new HashSet<(int, int)>();
        for (var i = 0; i < nx; i++)
        {
            for (var j = 0; j < ny; j++)
            {
                var a = cell[i, j];
                if (a == 0)
                {
                    continue;
                }

                if (i + 1 < nx && cell[i + 1, j] is var right and not 0 && right != a)
                {
                    pairs.Add((Math.Min(a, right), Math.Max(a, right)));
                }

                if (j + 1 < ny && cell[i, j + 1] is var up and not 0 && up != a)
                {
                    pairs.Add((Math.Min(a, up), Math.Max(a, up)));
                }
            }
        }

        return pairs.Order();
    }

    private bool Inside(double x, double y)
    {
        var inside = false;
        for (int i = 0, j = Outline.Count - 1; i < Outline.Count; j = i++)
        {
            var (xi, yi) = Outline[i];
            var (xj, yj) = Outline[j];
            if ((yi > y) != (yj > y) && x < ((xj - xi) * (y - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static IEnumerable<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray()
            ?? throw new InvalidDataException($"{path} is empty");
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length && i < cells.Length; i++)
            {
                if (header[i].Length > 0)
                {
                    row[header[i]] = cells[i].Trim();
                }
            }

            yield return row;
        }
    }
}

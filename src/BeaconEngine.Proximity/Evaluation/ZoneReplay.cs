using BeaconEngine.Proximity.Calibration;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Proximity.Evaluation;

/// <summary>How a resolver did on a recording with known positions.</summary>
public sealed record ReplayResult(
    int Rows,
    int RowsRight,
    int TrueChanges,
    int EngineChanges,
    TimeSpan? MedianDelay,
    int MissedChanges,
    IReadOnlyList<string?> Predicted,
    IReadOnlyList<ProximityEvent> Events)
{
    public double Accuracy => Rows == 0 ? 0 : (double)RowsRight / Rows;
}

/// <summary>
/// Replays a recording through a zone resolver, one zone per receiver, and scores it row by row
/// against the true zone (the receiver nearest to the true position).
/// </summary>
public static class ZoneReplay
{
    /// <summary>Gateway id of receiver <paramref name="anchorId"/> in a replay.</summary>
    public static string GatewayId(int anchorId) => $"rx-{anchorId}";

    /// <summary>Zone id of receiver <paramref name="anchorId"/> in a replay.</summary>
    public static string ZoneId(int anchorId) => $"zone-{anchorId}";

    /// <summary>The layout's zone adjacency as a graph, or no constraint.</summary>
    public static ZoneGraph Graph(KolakowskiRecording recording) =>
        new(recording.CellNeighbours().Select(p => (ZoneId(p.A), (IEnumerable<string>)[ZoneId(p.B)])));

    /// <summary>
    /// The store's zone model for the recording's flat laid out as an installer would: a zone per receiver, the
    /// layout's adjacency and, with <paramref name="positions"/>, each receiver at its position (no outlines).
    /// </summary>
    public static ZoneModel Model(KolakowskiRecording recording, StoreCalibration? calibration = null, bool positions = true) =>
        new(Graph(recording), calibration, positions ? Geometry(recording) : null);

    /// <summary>The recording's floor as the zone model sees it: a zone per receiver, the layout's adjacency, receivers' positions.</summary>
    public static StoreGeometry Geometry(KolakowskiRecording recording)
    {
        var neighbours = recording.CellNeighbours().ToArray();
        return new StoreGeometry(
            [.. recording.Anchors.Select(a => new ZoneShape(
                ZoneId(a.Id),
                [.. neighbours.Where(p => p.A == a.Id).Select(p => ZoneId(p.B)).Concat(neighbours.Where(p => p.B == a.Id).Select(p => ZoneId(p.A)))]))],
            [.. recording.Anchors.Select(a => new GatewayPlacement(GatewayId(a.Id), ZoneId(a.Id), new StorePoint(a.X, a.Y)))]);
    }

    /// <summary>
    /// The recording as a calibration walk: every reading labelled with its row's true zone (the
    /// receiver nearest the true position), as an installer's marks would label it.
    /// </summary>
    public static IReadOnlyList<LabelledReading> Labelled(KolakowskiRecording recording) =>
        [.. recording.Rows.SelectMany(row => Readings(recording, row).Select(r => new LabelledReading(
            r.GatewayId,
            r.Rssi,
            r.Timestamp,
            ZoneId(recording.Nearest(row.X ?? throw new InvalidDataException("the recording has no true positions"), row.Y!.Value).Id))))];

    /// <summary>The readings of a row in the order a replay feeds them: by receiver.</summary>
    public static IEnumerable<GatewayReading> Readings(KolakowskiRecording recording, RecordingRow row)
    {
        for (var i = 0; i < recording.Anchors.Count; i++)
        {
            if (row.Rssi[i] is { } rssi)
            {
                var id = recording.Anchors[i].Id;
                yield return new GatewayReading(GatewayId(id), ZoneId(id), rssi, row.At);
            }
        }
    }

    /// <summary>Replays the recording through a resolver on the store's calibration fitted from <paramref name="walk"/>.</summary>
    public static (ReplayResult Result, CalibrationFit Fit) RunCalibrated(KolakowskiRecording recording, KolakowskiRecording walk, ZoneResolverOptions options, bool positions = true)
    {
        var fit = CalibrationFitter.Fit(Geometry(walk), Labelled(walk), options);
        return (Run(recording, new ZoneResolver(options, Model(recording, fit.Calibration, positions))), fit);
    }

    public static ReplayResult Run(KolakowskiRecording recording, IZoneResolver resolver)
    {
        var predicted = new List<string?>(recording.Rows.Count);
        var truth = new List<string>(recording.Rows.Count);
        var events = new List<ProximityEvent>();
        foreach (var row in recording.Rows)
        {
            foreach (var reading in Readings(recording, row))
            {
                resolver.Observe(reading, events);
            }

            // A row is one complete moment: every receiver's reading of it is in.
            resolver.Settle(events);

            predicted.Add(resolver.CurrentZoneId);
            truth.Add(ZoneId(recording.Nearest(row.X ?? throw new InvalidDataException("the recording has no true positions"), row.Y!.Value).Id));
        }

        var right = predicted.Zip(truth).Count(p => p.First == p.Second);
        var engineChanges = predicted.Zip(predicted.Skip(1)).Count(p => p.First != p.Second);
        var (trueChanges, delays, missed) = Delays(recording, truth, events);
        return new ReplayResult(recording.Rows.Count, right, trueChanges, engineChanges, Median(delays), missed, predicted, events);
    }

    /// <summary>
    /// Replays a recording as the server's API receives it: each gateway sends one batch a second (its
    /// readings of that second), the gateways one after another in an order that changes every second;
    /// each row is scored against the trail (the zone the resolver had placed the shopper in at the row's
    /// moment, on event time), as <c>GET .../trail</c> reads it.
    /// </summary>
    public static ReplayResult RunBatched(KolakowskiRecording recording, IZoneResolver resolver, int seed = 11)
    {
        var events = new List<ProximityEvent>();
        var order = new Random(seed);
        var start = recording.Rows[0].At;
        foreach (var second in recording.Rows.GroupBy(r => (long)Math.Floor((r.At - start).TotalSeconds)))
        {
            foreach (var anchor in Enumerable.Range(0, recording.Anchors.Count).OrderBy(_ => order.Next()))
            {
                foreach (var row in second)
                {
                    if (row.Rssi[anchor] is { } rssi)
                    {
                        var id = recording.Anchors[anchor].Id;
                        resolver.Observe(new GatewayReading(GatewayId(id), ZoneId(id), rssi, row.At), events);
                    }
                }

                // The grain settles after each batch.
                resolver.Settle(events);
            }
        }

        var timeline = events.Where(e => e.Kind != ProximityEventKind.Dwell).OrderBy(e => e.At).ToList();
        var predicted = new List<string?>(recording.Rows.Count);
        var truth = new List<string>(recording.Rows.Count);
        string? current = null;
        var next = 0;
        foreach (var row in recording.Rows)
        {
            while (next < timeline.Count && timeline[next].At <= row.At)
            {
                current = timeline[next].Kind == ProximityEventKind.Entered ? timeline[next].ZoneId : null;
                next++;
            }

            predicted.Add(current);
            truth.Add(ZoneId(recording.Nearest(row.X ?? throw new InvalidDataException("the recording has no true positions"), row.Y!.Value).Id));
        }

        var right = predicted.Zip(truth).Count(p => p.First == p.Second);
        var engineChanges = predicted.Zip(predicted.Skip(1)).Count(p => p.First != p.Second);
        var (trueChanges, delays, missed) = Delays(recording, truth, events);
        return new ReplayResult(recording.Rows.Count, right, trueChanges, engineChanges, Median(delays), missed, predicted, events);
    }

    /// <summary>
    /// For each true change of zone, the time until the engine entered that zone (it may come early:
    /// negative), matched within the true stay; a change the engine never followed is missed.
    /// </summary>
    private static (int Changes, List<TimeSpan> Delays, int Missed) Delays(KolakowskiRecording recording, List<string> truth, List<ProximityEvent> events)
    {
        var delays = new List<TimeSpan>();
        var changes = 0;
        var missed = 0;
        for (var i = 1; i < truth.Count; i++)
        {
            if (truth[i] == truth[i - 1])
            {
                continue;
            }

            changes++;
            var at = recording.Rows[i].At;
            var next = i + 1;
            while (next < truth.Count && truth[next] == truth[i])
            {
                next++;
            }

            var until = next < truth.Count ? recording.Rows[next].At : DateTimeOffset.MaxValue;
            var entry = events.FirstOrDefault(e => e.Kind == ProximityEventKind.Entered && e.ZoneId == truth[i] && e.At >= at - TimeSpan.FromSeconds(5) && e.At < until);
            if (entry.ZoneId is null)
            {
                missed++;
            }
            else
            {
                delays.Add(entry.At - at);
            }
        }

        return (changes, delays, missed);
    }

    private static TimeSpan? Median(List<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}

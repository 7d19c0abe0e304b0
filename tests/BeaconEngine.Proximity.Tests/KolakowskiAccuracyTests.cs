using System.Globalization;
using BeaconEngine.Proximity.Evaluation;
using BeaconEngine.Proximity.Zones;
using Xunit.Abstractions;

namespace BeaconEngine.Proximity.Tests;

/// <summary>
/// Zone accuracy on real BLE data: the Kolakowski 2021 robot walk (CC BY 4.0, doi:10.5281/zenodo.5457591),
/// one zone per receiver, true zone = the receiver nearest the robot. Reference on this walk: strongest
/// raw RSSI 69.8 % of rows right, exponentially smoothed (alpha 0.1) 79.0 %. The store is laid out as an
/// installer would (<see cref="ZoneReplay.Model"/>): a zone per receiver, receivers at their positions, so the
/// uncalibrated model weighs the path loss from each receiver; the last test keeps the layout without positions.
/// Floors at what the build measures (benchmarks/RESULTS.md, 2026-12-03 evening), not the goals.
/// </summary>
public sealed class KolakowskiAccuracyTests(ITestOutputHelper output)
{
    private static readonly Lazy<KolakowskiRecording> Walk = new(() => KolakowskiRecording.Load(SharedData.Folder("kolakowski2021"), "test_robot_df.csv"));
    private static readonly Lazy<KolakowskiRecording> CalibrationWalk = new(() => KolakowskiRecording.Load(SharedData.Folder("kolakowski2021"), "calibration_walk1.csv"));

    [Fact]
    public void The_default_resolver_places_at_least_82_percent_of_rows_right_without_flapping()
    {
        var walk = Walk.Value;
        var result = ZoneReplay.Run(walk, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk)));
        Report("default, layout adjacency", result);

        Assert.Equal(719, result.Rows);
        Assert.Equal(10, result.TrueChanges);
        Assert.True(result.Accuracy >= 0.82, $"accuracy {result.Accuracy:P1} fell below the 82 % floor");
        Assert.True(result.EngineChanges <= 1.5 * result.TrueChanges, $"{result.EngineChanges} zone changes for {result.TrueChanges} true ones");
    }

    [Fact]
    public void The_default_resolver_beats_smoothing_on_the_calibration_walk_too_without_flapping()
    {
        // Reference on this walk: strongest raw 47.1 %, smoothed (alpha 0.1) 53.7 %; the lead rule alone 57.5 %; this build 59.1 %.
        var walk = CalibrationWalk.Value;
        var result = ZoneReplay.Run(walk, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk)));
        Report("default, layout adjacency, calibration_walk1", result);

        Assert.Equal(1707, result.Rows);
        Assert.True(result.Accuracy >= 0.585, $"accuracy {result.Accuracy:P1} fell below the 58.5 % floor");
        Assert.True(result.EngineChanges <= 1.5 * result.TrueChanges, $"{result.EngineChanges} zone changes for {result.TrueChanges} true ones");
    }

    [Fact]
    public void Through_the_api_one_batch_per_gateway_per_second_the_robot_walk_is_placed_as_well()
    {
        // As POST /api/v1/sightings receives it: each gateway's second of readings in one batch, one
        // gateway after another. The model waits for every gateway before it weighs a moment.
        var walk = Walk.Value;
        var result = ZoneReplay.RunBatched(walk, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk)));
        Report("default, batched as the API receives it", result);

        // The trail dates each move from the step at which the new zone led, so a second of batches weighed
        // at once places the walk as row by row does. This build: 83.9 %, 12 changes for 10 (the lead rule alone:
        // 82.1 %, 16); the goal is 82 % and 1.5 times.
        Assert.True(result.Accuracy >= 0.83, $"accuracy {result.Accuracy:P1} fell below the 83 % floor");
        Assert.True(result.EngineChanges <= 1.5 * result.TrueChanges, $"{result.EngineChanges} zone changes for {result.TrueChanges} true ones");
    }

    [Fact]
    public void Through_the_api_the_calibration_walk_is_placed_at_least_as_well_as_row_by_row()
    {
        // A walk the defaults were not fitted on (the public proxy for the held-out walks), as the API receives it.
        var walk = CalibrationWalk.Value;
        var rows = ZoneReplay.Run(walk, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk)));
        var batched = ZoneReplay.RunBatched(walk, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk)));
        Report("default, calibration_walk1 batched as the API receives it", batched);

        // Floor at what this build measures (65.4 %, 18 changes for 25; the lead rule alone 59.6 %); the goal for unseen walks is 72 %.
        Assert.True(batched.Accuracy >= 0.645, $"accuracy {batched.Accuracy:P1} fell below the 64.5 % floor");
        Assert.True(batched.Accuracy >= rows.Accuracy, $"batched {batched.Accuracy:P1} against {rows.Accuracy:P1} row by row");
        Assert.True(batched.EngineChanges <= 1.5 * batched.TrueChanges, $"{batched.EngineChanges} zone changes for {batched.TrueChanges} true ones");
    }

    [Fact]
    public void A_calibration_on_one_walk_serves_the_other_and_never_makes_it_worse()
    {
        var options = new ZoneResolverOptions();
        var robot = Walk.Value;
        var calibration = CalibrationWalk.Value;
        var robotUncalibrated = ZoneReplay.Run(robot, new ZoneResolver(options, ZoneReplay.Model(robot)));
        var calibrationUncalibrated = ZoneReplay.Run(calibration, new ZoneResolver(options, ZoneReplay.Model(calibration)));

        // calibration_walk1 misses two zones: those keep the uncalibrated model, and the robot walk is no worse.
        var (robotCalibrated, fit) = ZoneReplay.RunCalibrated(robot, calibration, options);
        Report("robot walk, calibrated on calibration_walk1", robotCalibrated);
        Assert.Equal(["zone-2", "zone-5"], fit.Report.ZonesNotCovered);
        Assert.True(robotCalibrated.Accuracy >= robotUncalibrated.Accuracy - 0.005, $"{robotCalibrated.Accuracy:P1} calibrated against {robotUncalibrated.Accuracy:P1} uncalibrated");

        // Through the API (one batch per gateway per second): calibrated is no worse either.
        var batchedUncalibrated = ZoneReplay.RunBatched(robot, new ZoneResolver(options, ZoneReplay.Model(robot)));
        var batchedCalibrated = ZoneReplay.RunBatched(robot, new ZoneResolver(options, ZoneReplay.Model(robot, fit.Calibration)));
        Report("robot walk batched, calibrated on calibration_walk1", batchedCalibrated);
        Assert.True(batchedCalibrated.Accuracy >= batchedUncalibrated.Accuracy, $"{batchedCalibrated.Accuracy:P1} calibrated against {batchedUncalibrated.Accuracy:P1} uncalibrated");

        // The robot walk covers every zone: the calibration walk gains, still without flapping.
        var (calibrationCalibrated, robotFit) = ZoneReplay.RunCalibrated(calibration, robot, options);
        Report("calibration_walk1, calibrated on the robot walk", calibrationCalibrated);
        Assert.Empty(robotFit.Report.ZonesNotCovered);
        // A walk it never saw, calibrated on the robot walk: the issue asks 80 % of unseen walks and at most
        // 1.5 times the true changes; this one is at 76.4 % row by row and 78.6 % as the API receives it, with
        // 0.9 and 1.0 times (benchmarks/RESULTS.md).
        Assert.True(calibrationCalibrated.Accuracy >= 0.75, $"{calibrationCalibrated.Accuracy:P1} calibrated against {calibrationUncalibrated.Accuracy:P1} uncalibrated");
        Assert.True(calibrationCalibrated.EngineChanges <= 1.5 * calibrationCalibrated.TrueChanges, $"{calibrationCalibrated.EngineChanges} zone changes for {calibrationCalibrated.TrueChanges} true ones");
        var calibrationBatched = ZoneReplay.RunBatched(calibration, new ZoneResolver(options, ZoneReplay.Model(calibration, robotFit.Calibration)));
        Report("calibration_walk1 batched, calibrated on the robot walk", calibrationBatched);
        Assert.True(calibrationBatched.Accuracy >= 0.775, $"{calibrationBatched.Accuracy:P1} batched, calibrated on the robot walk");
        Assert.True(calibrationBatched.EngineChanges <= 1.5 * calibrationBatched.TrueChanges, $"{calibrationBatched.EngineChanges} zone changes for {calibrationBatched.TrueChanges} true ones");

        // The fit's own cross-validated report says it gains on the walk it was fitted on.
        output.WriteLine($"robot fit: cross-validated {robotFit.Report.AccuracyBefore:P1} before, {robotFit.Report.AccuracyAfter:P1} after");
        Assert.True(robotFit.Report.AccuracyAfter >= robotFit.Report.AccuracyBefore + 0.01);
    }

    [Fact]
    public void The_zone_model_beats_both_references_on_the_same_walk()
    {
        var walk = Walk.Value;
        var median = ZoneReplay.Run(walk, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk)));
        Report("default", median);

        // The strongest raw reading per row, as the dataset's README scores it.
        var raw = walk.Rows.Select(r => ZoneReplay.ZoneId(walk.Anchors[Array.IndexOf(r.Rssi, r.Rssi.Max())].Id));
        var truth = walk.Rows.Select(r => ZoneReplay.ZoneId(walk.Nearest(r.X!.Value, r.Y!.Value).Id)).ToArray();
        var rawAccuracy = raw.Zip(truth).Count(p => p.First == p.Second) / (double)walk.Rows.Count;
        output.WriteLine($"strongest raw RSSI: {rawAccuracy:P1}");

        Assert.Equal(0.698, rawAccuracy, 3);
        Assert.True(median.Accuracy > 0.79, $"zone model {median.Accuracy:P1} is not better than the smoothed reference");
    }

    [Fact]
    public void Without_positions_the_lead_rule_keeps_its_figures_on_both_walks()
    {
        // A layout without gateway positions: a zone's own gateway is expected to lead the others, as before.
        var robot = Walk.Value;
        var walk1 = CalibrationWalk.Value;
        var robotRows = ZoneReplay.Run(robot, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(robot, positions: false)));
        var robotBatched = ZoneReplay.RunBatched(robot, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(robot, positions: false)));
        var walk1Rows = ZoneReplay.Run(walk1, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk1, positions: false)));
        var walk1Batched = ZoneReplay.RunBatched(walk1, new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk1, positions: false)));
        Report("no positions, robot", robotRows);
        Report("no positions, robot batched", robotBatched);
        Report("no positions, calibration_walk1", walk1Rows);
        Report("no positions, calibration_walk1 batched", walk1Batched);

        // 82.9 %, 82.1 %, 57.5 %, 59.6 % (benchmarks/RESULTS.md).
        Assert.True(robotRows.Accuracy >= 0.825, $"{robotRows.Accuracy:P1}");
        Assert.True(robotBatched.Accuracy >= 0.815, $"{robotBatched.Accuracy:P1}");
        Assert.True(walk1Rows.Accuracy >= 0.57, $"{walk1Rows.Accuracy:P1}");
        Assert.True(walk1Batched.Accuracy >= 0.59, $"{walk1Batched.Accuracy:P1}");
    }

    [Fact]
    public void The_person_walk_is_followed_out_and_back_four_times_without_flapping()
    {
        // test_walk_df.csv has no per-row positions: a person walks the reference path (6 zone borders a traversal:
        // zones 2, 3, 5, 3, 4, 6) out and back four times, about 70 s a round trip. Its ~40 zone changes are those
        // trips, not flaps (benchmarks/RESULTS.md, 2026-12-04 afternoon): each trip reaches both ends of the path.
        var walk = KolakowskiRecording.Load(SharedData.Folder("kolakowski2021"), "test_walk_df.csv");
        var resolver = new ZoneResolver(new ZoneResolverOptions(), ZoneReplay.Model(walk));
        var events = new List<ProximityEvent>();
        var start = walk.Rows[0].At;
        foreach (var second in walk.Rows.GroupBy(r => (long)Math.Floor((r.At - start).TotalSeconds)))
        {
            // As the API receives it: each gateway's second of readings in one batch, one gateway after another.
            for (var anchor = 0; anchor < walk.Anchors.Count; anchor++)
            {
                foreach (var row in second)
                {
                    if (row.Rssi[anchor] is { } rssi)
                    {
                        var id = walk.Anchors[anchor].Id;
                        resolver.Observe(new GatewayReading(ZoneReplay.GatewayId(id), ZoneReplay.ZoneId(id), rssi, row.At), events);
                    }
                }

                resolver.Settle(events);
            }
        }

        var entered = events.Where(e => e.Kind == ProximityEventKind.Entered).Select(e => e.ZoneId).ToList();
        output.WriteLine(string.Join(" ", entered));

        Assert.Equal("zone-2", entered[0]);
        Assert.Equal("zone-2", entered[^1]);
        Assert.Equal(4, entered.Count(z => z == "zone-6"));
        Assert.Equal(4, entered.Count(z => z == "zone-5"));
        Assert.InRange(entered.Count - 1, 32, 72);
    }

    [Theory]
    [InlineData(RssiFilterKind.Smoothed)]
    [InlineData(RssiFilterKind.WindowMedian)]
    [InlineData(RssiFilterKind.Exponential)]
    [InlineData(RssiFilterKind.Kalman)]
    public void Every_filter_stays_usable_on_the_walk(RssiFilterKind filter)
    {
        var walk = Walk.Value;
        var result = ZoneReplay.Run(walk, new ZoneResolver(new ZoneResolverOptions { Filter = filter }, ZoneReplay.Model(walk)));
        Report(filter.ToString(), result);
        Assert.True(result.Accuracy >= 0.70, $"{filter}: {result.Accuracy:P1}");
    }

    private void Report(string name, ReplayResult r) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: {r.Accuracy:P1} of {r.Rows} rows right; {r.EngineChanges} zone changes for {r.TrueChanges} true ones; median delay {r.MedianDelay?.TotalSeconds:0.0} s; missed {r.MissedChanges}"));
}

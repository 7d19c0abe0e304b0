using System.Globalization;
using BeaconEngine.Proximity.Evaluation;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Benchmarks;

/// <summary>
/// Zone accuracy on the Kolakowski 2021 robot walk (real BLE data, CC BY 4.0, doi:10.5281/zenodo.5457591):
/// one zone per receiver, true zone = the receiver nearest the robot, scored row by row.
/// </summary>
public static class AccuracyReport
{
    public static int Run()
    {
        var folder = SharedData.Folder("kolakowski2021");
        var walk = KolakowskiRecording.Load(folder, "test_robot_df.csv");
        var graph = ZoneReplay.Graph(walk);
        Console.WriteLine($"Kolakowski 2021 robot walk: {walk.Rows.Count} rows, {walk.Anchors.Count} receivers. Data: M. Kolakowski, Sensors 21, 6270 (2021), CC BY 4.0.");
        Console.WriteLine("| Resolver | Adjacency | Rows right | Zone changes (true) | Median delay | Missed changes |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var filter in new[] { RssiFilterKind.WindowMedian, RssiFilterKind.Exponential, RssiFilterKind.Kalman })
        {
            foreach (var useGraph in new[] { true, false })
            {
                var options = new ZoneResolverOptions { Filter = filter };
                var result = ZoneReplay.Run(walk, new ZoneResolver(options, useGraph ? graph : null));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Name(filter)} | {(useGraph ? "layout" : "none")} | {result.Accuracy:P1} | {result.EngineChanges} ({result.TrueChanges}) | {result.MedianDelay?.TotalSeconds:0.0} s | {result.MissedChanges} |"));
            }
        }

        return 0;
    }

    private static string Name(RssiFilterKind filter) => filter switch
    {
        RssiFilterKind.WindowMedian => "window 70th percentile (default)",
        RssiFilterKind.Exponential => "exponential (alpha 0.3)",
        _ => "Kalman",
    };
}

using System.Globalization;
using BeaconEngine.Proximity.Evaluation;
using BeaconEngine.Proximity.Zones;

namespace BeaconEngine.Benchmarks;

/// <summary>
/// Zone accuracy on the Kolakowski 2021 walks (real BLE data, CC BY 4.0, doi:10.5281/zenodo.5457591):
/// one zone per receiver, true zone = the receiver nearest the robot, scored row by row; each walk
/// uncalibrated, and calibrated on the other walk (never on itself).
/// </summary>
public static class AccuracyReport
{
    private static readonly string[] WalkFiles = ["test_robot_df.csv", "calibration_walk1.csv"];
    private static readonly RssiFilterKind[] Filters = [RssiFilterKind.Smoothed, RssiFilterKind.WindowMedian, RssiFilterKind.Exponential, RssiFilterKind.Kalman];

    public static int Run()
    {
        var folder = SharedData.Folder("kolakowski2021");
        var walks = WalkFiles.Select(f => (Name: f, Walk: KolakowskiRecording.Load(folder, f))).ToArray();
        Console.WriteLine("Kolakowski 2021 walks. Data: M. Kolakowski, Sensors 21, 6270 (2021), CC BY 4.0.");
        Console.WriteLine("| Walk | Resolver | Rows right | Zone changes (true) | Median delay | Missed changes |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, walk) in walks)
        {
            foreach (var filter in Filters)
            {
                var result = ZoneReplay.Run(walk, new ZoneResolver(new ZoneResolverOptions { Filter = filter }, ZoneReplay.Graph(walk)));
                Row(name, $"zone model, {Name(filter)} filter", result);
            }

            foreach (var (otherName, other) in walks.Where(w => w.Name != name))
            {
                var (calibrated, _) = ZoneReplay.RunCalibrated(walk, other, new ZoneResolverOptions());
                Row(name, $"zone model, calibrated on {otherName}", calibrated);
            }
        }

        return 0;
    }

    private static void Row(string walk, string resolver, ReplayResult result) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {walk} | {resolver} | {result.Accuracy:P1} | {result.EngineChanges} ({result.TrueChanges}) | {result.MedianDelay?.TotalSeconds:0.0} s | {result.MissedChanges} |"));

    private static string Name(RssiFilterKind filter) => filter switch
    {
        RssiFilterKind.Smoothed => "smoothed (default)",
        RssiFilterKind.WindowMedian => "window 70th percentile",
        RssiFilterKind.Exponential => "exponential (alpha 0.3)",
        _ => "Kalman",
    };
}

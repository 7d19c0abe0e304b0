using System.Text.Json;

namespace BeaconEngine.Simulator;

/// <summary>How every report file the simulator writes is formatted.</summary>
public static class Reports
{
    // A summary of no samples (no gateway batches when only phones sense) has NaN percentiles: written as "NaN".
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

using System.Text.Json;

namespace BeaconEngine.Simulator;

/// <summary>How every report file the simulator writes is formatted.</summary>
public static class Reports
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

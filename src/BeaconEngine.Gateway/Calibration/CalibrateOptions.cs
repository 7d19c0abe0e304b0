namespace BeaconEngine.Gateway.Calibration;

/// <summary>
/// <c>beaconengine-gateway calibrate</c>: replays a labelled recording as a calibration walk
/// (configuration section <c>Calibrate</c>, e.g. <c>--Calibrate:Recording=walk.csv</c>).
/// </summary>
public sealed class CalibrateOptions
{
    /// <summary>The engine's base URL.</summary>
    public string Url { get; set; } = "http://localhost:5080";

    /// <summary>The operator's key: only the operator starts, marks and fits a calibration.</summary>
    public string? OperatorKey { get; set; }

    public string StoreId { get; set; } = "";

    /// <summary>
    /// A Kolakowski-format CSV: <c>ts</c> (Unix ns), <c>x</c>, <c>y</c> (metres) and/or <c>zone</c>, and <c>rssi_N</c> per receiver.
    /// </summary>
    public string Recording { get; set; } = "";

    /// <summary>Receiver number (the N of <c>rssi_N</c>) to gateway id; a receiver not listed is the gateway <c>rx-N</c>.</summary>
    public Dictionary<string, string> Gateways { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gateway id to its key: each receiver's sightings are sent as that gateway, as its own agent would send them.</summary>
    public Dictionary<string, string> GatewayKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Only the first this many rows (0: all).</summary>
    public int Rows { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OperatorKey))
        {
            throw new ArgumentException("Calibrate:OperatorKey is required: only the operator calibrates a store.");
        }

        if (string.IsNullOrWhiteSpace(StoreId))
        {
            throw new ArgumentException("Calibrate:StoreId is required.");
        }

        if (!File.Exists(Recording))
        {
            throw new ArgumentException($"Calibrate:Recording '{Recording}' is not a file: give a Kolakowski CSV with x, y (or zone) and rssi_N columns.");
        }

        if (GatewayKeys.Count == 0)
        {
            throw new ArgumentException("Calibrate:GatewayKeys is required: each gateway's key (--Calibrate:GatewayKeys:rx-1=gw_...), so its sightings arrive as that gateway's.");
        }

        if (Rows < 0)
        {
            throw new ArgumentException("Calibrate:Rows must be 0 (all) or more.");
        }
    }
}

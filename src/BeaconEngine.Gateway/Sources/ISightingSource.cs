namespace BeaconEngine.Gateway.Sources;

/// <summary>Where sightings come from: the radio, a recording or standard input.</summary>
public interface ISightingSource
{
    /// <summary>True when the source ends by itself (a file, stdin), false for the radio.</summary>
    bool Finite { get; }

    IAsyncEnumerable<GatewaySighting> ReadAsync(CancellationToken cancellationToken);
}

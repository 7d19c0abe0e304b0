namespace BeaconEngine.Proximity.Uplinks;

/// <summary>
/// Why one item of a payload was rejected. Gateways batch many sightings, so a broken item is reported with its
/// position and the rest of the batch still counts.
/// </summary>
/// <param name="Index">
/// Zero-based position of the item: the JSON array element (Minew), the line (Ingics), or 0 for the single message of
/// an MQTT format; <see cref="WholePayload"/> when nothing in the payload could be read as items.
/// </param>
/// <param name="Error">A reason a gateway installer can act on.</param>
public readonly record struct UplinkError(int Index, string Error)
{
    /// <summary>The index of an error about the payload as a whole: unparseable JSON, a wrong topic, too many items.</summary>
    public const int WholePayload = -1;
}

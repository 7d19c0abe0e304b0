namespace BeaconEngine.Grains.Events;

[GenerateSerializer]
public sealed class StoreWebhookState
{
    /// <summary>Null: no webhook.</summary>
    [Id(0)] public Uri? Url { get; set; }

    /// <summary>The HMAC key. Kept as given: the server needs it to sign.</summary>
    [Id(1)] public string Secret { get; set; } = "";

    /// <summary>Every event up to this offset was answered 2xx.</summary>
    [Id(2)] public long AcknowledgedOffset { get; set; }

    [Id(3)] public DateTimeOffset? LastDeliveredAt { get; set; }
}

[GenerateSerializer]
public sealed class StoreWebhookRegistryState
{
    [Id(0)] public HashSet<string> StoreIds { get; set; } = new(StringComparer.Ordinal);
}

namespace BeaconEngine.Contracts.Gateways;

public enum BatchAdmissionKind
{
    /// <summary>First time seen (or sent with no id): processed now, <see cref="BatchAdmission.Receipt"/> is its answer.</summary>
    New,

    /// <summary>Already processed: answer with <see cref="BatchAdmission.Receipt"/>, count nothing.</summary>
    Duplicate,

    /// <summary>Another request with this id is being processed right now: retry a little later.</summary>
    InFlight,
}

[Immutable, GenerateSerializer, Alias("BeaconEngine.BatchAdmission")]
public sealed record BatchAdmission(BatchAdmissionKind Kind, BatchReceipt? Receipt)
{
    public static BatchAdmission InFlight { get; } = new(BatchAdmissionKind.InFlight, null);
}

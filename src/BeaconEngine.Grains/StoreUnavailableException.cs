namespace BeaconEngine.Grains;

/// <summary>
/// A grain call failed because the grains' store did not answer. The driver's own exception (NpgsqlException,
/// RedisConnectionException) has no Orleans codec and could not travel back to a caller on another node; this
/// one does, with the driver's message.
/// </summary>
[GenerateSerializer, Alias("BeaconEngine.StoreUnavailableException")]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace BeaconEngine.Gateway.Queue;

/// <summary>A batch waiting to be sent: its place in the queue, its id, how many sightings, and its JSON body.</summary>
public sealed record QueuedBatch(long Sequence, string BatchId, int Count, byte[] Body);

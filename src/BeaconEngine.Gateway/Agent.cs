using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;
using BeaconEngine.Gateway.Batching;
using BeaconEngine.Gateway.Queue;
using BeaconEngine.Gateway.Sources;
using BeaconEngine.Gateway.Uplinks;

namespace BeaconEngine.Gateway;

/// <summary>
/// The agent: source → batcher → disk queue → uplink, plus heartbeats. Sightings are on disk before the agent tries
/// to send them, and leave the queue only when the engine (or broker) has them, one batch at a time in order, so a
/// network or server outage only delays them. Each batch keeps its id across retries and restarts.
/// </summary>
public sealed partial class Agent(
    AgentOptions options, ISightingSource source, IUplink uplink, DiskQueue queue, TimeProvider time, ILogger<Agent> logger)
{
    public static readonly string Version = typeof(Agent).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    private readonly Batcher _batcher = new(options.GatewayId, options.Batch, queue, time);
    private readonly long _started = time.GetTimestamp();
    private long _delivered;
    private long _refused;

    public DiskQueue Queue => queue;

    /// <summary>Sightings the source produced.</summary>
    public long Heard => _batcher.Heard;

    /// <summary>Sightings in batches the engine or broker acknowledged.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Sightings in batches the engine refused as malformed (dropped, counted).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>True once a finite source has been read to its end and every batch is queued.</summary>
    public bool SourceDone { get; private set; }

    /// <summary>Runs until cancelled, or for a finite source with <see cref="SourceOptions.ExitWhenDone"/> until all is sent.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<GatewaySighting>(new BoundedChannelOptions(50_000) { SingleReader = true, SingleWriter = true });
        var pump = PumpAsync(channel.Writer, stop.Token);
        var batching = _batcher.RunAsync(channel.Reader, stop.Token);
        var sending = SendAsync(stop.Token);
        var heartbeats = HeartbeatAsync(stop.Token);
        try
        {
            await Task.WhenAll(pump, batching);
            SourceDone = true;
            LogSourceDone(logger, Heard, queue.Depth);
            if (source.Finite && options.Source.ExitWhenDone)
            {
                while (queue.Depth > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), time, stop.Token);
                }

                await uplink.SendHeartbeatAsync(Heartbeat(), stop.Token);
                await stop.CancelAsync();
            }

            await Task.WhenAll(sending, heartbeats);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(Quietly(pump), Quietly(batching), Quietly(sending), Quietly(heartbeats));
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task PumpAsync(ChannelWriter<GatewaySighting> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var sighting in source.ReadAsync(cancellationToken))
            {
                await writer.WriteAsync(sighting, cancellationToken);
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var random = new Random();
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await queue.PeekAsync(cancellationToken);
            var attempt = 0;
            while (true)
            {
                var result = await uplink.SendAsync(batch, cancellationToken);
                if (result == SendResult.Delivered)
                {
                    queue.Remove(batch);
                    Interlocked.Add(ref _delivered, batch.Count);
                    break;
                }

                if (result == SendResult.Refused)
                {
                    queue.Remove(batch);
                    Interlocked.Add(ref _refused, batch.Count);
                    break;
                }

                await Task.Delay(Backoff.Delay(attempt++, options.Retry.Initial, options.Retry.Max, random), time, cancellationToken);

                // While we waited, a full queue may have dropped this batch; then the next one is the oldest.
                if (queue.TryPeek() is not { } current)
                {
                    break;
                }

                if (current.Sequence != batch.Sequence)
                {
                    batch = current;
                    attempt = 0;
                }
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatEvery, time);
        do
        {
            await uplink.SendHeartbeatAsync(Heartbeat(), cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private AgentHeartbeat Heartbeat() => new(
        time.GetUtcNow(), queue.Depth, queue.Bytes, queue.DroppedSightings, Heard, time.GetElapsedTime(_started).TotalSeconds, Version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source finished after {Heard} sightings; {Depth} batches still queued")]
    private static partial void LogSourceDone(ILogger logger, long heard, int depth);
}

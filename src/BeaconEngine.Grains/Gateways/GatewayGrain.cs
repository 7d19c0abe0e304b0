using BeaconEngine.Contracts.Gateways;

namespace BeaconEngine.Grains.Gateways;

/// <summary>
/// A gateway's batches, batch ids and health: each batch arrives in one call (<see cref="Ingest"/>), which claims
/// its id, fans its sightings out to the shoppers (<see cref="BatchFanOut"/>) and keeps its receipt. The ids are checked in memory and written behind, every
/// <see cref="FlushEvery"/> and when the grain deactivates (a clean shutdown included), so the sighting path never
/// waits for a disk write. What a crash can lose: the ids of the batches of the last <see cref="FlushEvery"/>.
/// </summary>
internal sealed class GatewayGrain(
    [PersistentState("gateway", StorageNames.State)] IPersistentState<GatewayState> state,
    IGatewayHealthBoard board,
    BatchFanOut fanOut,
    TimeProvider time) : Grain, IGatewayGrain
{
    /// <summary>How many recent batch ids a gateway's retries are recognised among.</summary>
    public const int RememberedBatches = 512;

    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    // A claim this old was left by a request that died without completing or abandoning it.
    private static readonly TimeSpan InFlightExpiry = TimeSpan.FromMinutes(2);

    private const int RateSeconds = 10;

    private readonly Dictionary<string, BatchReceipt> _recent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _inFlight = new(StringComparer.Ordinal);
    private readonly long[] _perSecond = new long[RateSeconds];
    private readonly long[] _secondOf = new long[RateSeconds];
    private string _storeId = "";
    private string _gatewayId = "";
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_storeId, _gatewayId) = GatewayKey.Parse(this.GetPrimaryKeyString());
        foreach (var batch in state.State.Recent)
        {
            _recent[batch.Id] = batch.Receipt;
        }

        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushEvery, FlushEvery) { KeepAlive = false });
        return base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        board.Remove(_storeId, _gatewayId);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<BatchAdmission> Ingest(GatewayBatch batch)
    {
        if (batch.BatchId is { } batchId && Claim(batchId) is { } known)
        {
            return known;
        }

        BatchReceipt receipt;
        try
        {
            receipt = await fanOut.DispatchAsync(batch);
        }
        catch when (batch.BatchId is not null)
        {
            // Nothing of the batch counted: its retry must be processed afresh.
            _inFlight.Remove(batch.BatchId);
            throw;
        }

        state.State.Replays += batch.Replays;
        state.State.SharedIdentities += batch.SharedIdentities;
        Complete(batch.BatchId, receipt);
        return new BatchAdmission(BatchAdmissionKind.New, receipt);
    }

    /// <summary>Claims a batch id before its sightings are processed; null if it is new, else the answer to give.</summary>
    private BatchAdmission? Claim(string batchId)
    {
        var now = time.GetUtcNow();
        if (_recent.TryGetValue(batchId, out var receipt))
        {
            state.State.DuplicateBatches++;
            state.State.LastSeenAt = now;
            Changed();
            return new BatchAdmission(BatchAdmissionKind.Duplicate, receipt);
        }

        if (_inFlight.TryGetValue(batchId, out var since) && now - since < InFlightExpiry)
        {
            return BatchAdmission.InFlight;
        }

        _inFlight[batchId] = now;
        return null;
    }

    private void Complete(string? batchId, BatchReceipt receipt)
    {
        var now = time.GetUtcNow();
        var s = state.State;
        if (batchId is not null)
        {
            _inFlight.Remove(batchId);
            if (!_recent.TryAdd(batchId, receipt))
            {
                return;
            }

            s.Recent.Add(new RememberedBatch { Id = batchId, Receipt = receipt });
            if (s.Recent.Count > RememberedBatches)
            {
                _recent.Remove(s.Recent[0].Id);
                s.Recent.RemoveAt(0);
            }
        }

        var valid = receipt.Accepted + receipt.Dropped;
        s.Batches++;
        s.Sightings += valid;
        s.Accepted += receipt.Accepted;
        s.Dropped += receipt.Dropped;
        s.Rejected += receipt.Rejected.Length;
        s.LastSeenAt = now;
        if (receipt.OldestAt is { } oldest && s.NewestEventAt is { } newest && oldest < newest)
        {
            s.OutOfOrderBatches++;
        }

        if (receipt.NewestAt is { } latest && (s.NewestEventAt is null || latest > s.NewestEventAt))
        {
            s.NewestEventAt = latest;
        }

        CountRate(now, valid);
        Changed();
    }

    public Task RecordHeartbeat(GatewayHeartbeat heartbeat)
    {
        state.State.LastHeartbeat = heartbeat;
        state.State.LastSeenAt = heartbeat.ReceivedAt;
        Changed();
        return Task.CompletedTask;
    }

    public Task<GatewayHealth> GetHealth() => Task.FromResult(Health());

    private void Changed()
    {
        _dirty = true;
        board.Publish(_storeId, _gatewayId, Health());
    }

    private GatewayHealth Health()
    {
        var s = state.State;
        var hb = s.LastHeartbeat;
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        long recent = 0;
        for (var i = 0; i < RateSeconds; i++)
        {
            // The current second is still filling, so the window is the RateSeconds before it.
            if (_secondOf[i] < second && _secondOf[i] >= second - RateSeconds)
            {
                recent += _perSecond[i];
            }
        }

        return new GatewayHealth(
            s.LastSeenAt,
            hb?.ReceivedAt,
            recent / (double)RateSeconds,
            s.Batches,
            s.Sightings,
            s.Accepted,
            s.Dropped,
            s.Rejected,
            s.DuplicateBatches,
            s.OutOfOrderBatches,
            s.NewestEventAt,
            hb is null ? null : (hb.ReceivedAt - hb.SentAt).TotalMilliseconds,
            hb?.QueueDepth,
            hb?.QueueBytes,
            hb?.Dropped,
            hb?.AgentVersion,
            s.Replays,
            s.SharedIdentities);
    }

    private void CountRate(DateTimeOffset now, long count)
    {
        var second = now.ToUnixTimeSeconds();
        var slot = (int)(second % RateSeconds);
        if (_secondOf[slot] != second)
        {
            _secondOf[slot] = second;
            _perSecond[slot] = 0;
        }

        _perSecond[slot] += count;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // Try again at the next tick; the in-memory window still answers retries meanwhile.
            _dirty = true;
            throw;
        }
    }
}

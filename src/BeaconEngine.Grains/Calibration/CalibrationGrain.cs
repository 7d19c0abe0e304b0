using BeaconEngine.Contracts.Calibration;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Calibration;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Grains.Calibration;

/// <summary>
/// One calibration walk. Marks are written at once; sightings are written behind, at most every
/// <see cref="WriteEvery"/> and when the grain deactivates (a clean shutdown included), so a gateway's
/// batch never waits for a walk's growing state to reach the disk. The fitted calibration goes to the
/// store grain, whose state carries it to every node.
/// </summary>
internal sealed class CalibrationGrain(
    [PersistentState("calibration", StorageNames.State)] IPersistentState<CalibrationState> state,
    IGrainFactory grains,
    IStoreDirectory stores,
    TimeProvider time,
    IOptions<EngineOptions> engine) : Grain, ICalibrationGrain
{
    public static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(2);

    private string _storeId = "";
    private string _calibrationId = "";
    private bool _dirty;
    private IGrainTimer? _writeTimer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        (_storeId, _calibrationId) = (key[..slash], key[(slash + 1)..]);
        return base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await WriteIfDirtyAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task Start(BeaconAdvertisement advertisement, DateTimeOffset createdAt)
    {
        if (state.State.Advertisement is not null)
        {
            return;
        }

        state.State.Advertisement = advertisement;
        state.State.CreatedAt = createdAt;
        await state.WriteStateAsync();
    }

    public async Task<CalibrationChange> Mark(CalibrationMark mark)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (state.State.Marks.Count >= CalibrationRules.MaxMarks)
        {
            return new CalibrationChange(CalibrationRefusal.Full, $"Calibration '{_calibrationId}' already holds {CalibrationRules.MaxMarks} marks; fit it, or start a new walk.");
        }

        if (mark.ZoneId is { } zoneId)
        {
            var view = await stores.GetAsync(_storeId);
            if (view is null)
            {
                return new CalibrationChange(CalibrationRefusal.StoreNotFound, $"There is no store '{_storeId}'.");
            }

            if (!view.ZoneIds.Contains(zoneId))
            {
                return new CalibrationChange(CalibrationRefusal.UnknownZone,
                    $"Store '{_storeId}' has no zone '{zoneId}'. Its zones: {string.Join(", ", view.ZoneIds.Order(StringComparer.Ordinal))}.");
            }
        }

        // Kept in time order; a mark for the same moment as an earlier one replaces it.
        var marks = state.State.Marks;
        var at = marks.FindIndex(m => m.At >= mark.At);
        if (at < 0)
        {
            marks.Add(mark);
        }
        else if (marks[at].At == mark.At)
        {
            marks[at] = mark;
        }
        else
        {
            marks.Insert(at, mark);
        }

        await WriteAsync();
        return CalibrationChange.Done;
    }

    public ValueTask<int> RecordSightings(CalibrationSighting[] sightings)
    {
        if (state.State.Advertisement is null || state.State.Ended)
        {
            return ValueTask.FromResult(0);
        }

        var readings = state.State.Readings;
        var room = Math.Min(sightings.Length, CalibrationRules.MaxSightings - readings.Count);
        for (var i = 0; i < room; i++)
        {
            var s = sightings[i];
            var gateway = state.State.Gateways.IndexOf(s.GatewayId);
            if (gateway < 0)
            {
                gateway = state.State.Gateways.Count;
                state.State.Gateways.Add(s.GatewayId);
            }

            readings.Add(new StoredReading(gateway, s.Rssi, s.At.ToUnixTimeMilliseconds()));
        }

        if (room > 0)
        {
            _dirty = true;
            _writeTimer ??= this.RegisterGrainTimer(WriteBehindAsync, new GrainTimerCreationOptions(WriteEvery, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }

        return ValueTask.FromResult(Math.Max(room, 0));
    }

    public async Task<CalibrationFitResult> Fit()
    {
        if (Refusal() is { } refused)
        {
            return new CalibrationFitResult(null, refused.Refusal, refused.Reason);
        }

        var view = await stores.GetAsync(_storeId);
        if (view is null)
        {
            return new CalibrationFitResult(null, CalibrationRefusal.StoreNotFound, $"There is no store '{_storeId}'.");
        }

        await WriteIfDirtyAsync(CancellationToken.None);
        var labelled = Labelled(view.ZoneIds.Contains);
        if (labelled.Count == 0)
        {
            return new CalibrationFitResult(null, CalibrationRefusal.NothingLabelled, NothingLabelledReason());
        }

        CalibrationFit fit;
        try
        {
            fit = CalibrationFitter.Fit(view.Geometry, labelled, ProximitySettingsMapper.Apply(engine.Value.Proximity, view.Snapshot.Layout.Proximity));
        }
        catch (ArgumentException)
        {
            return new CalibrationFitResult(null, CalibrationRefusal.NothingLabelled, NothingLabelledReason());
        }

        var now = time.GetUtcNow();
        var active = new ActiveCalibration(_calibrationId, now, CalibrationMapper.ToContract(fit.Calibration), CalibrationMapper.ToContract(fit.Report));
        if (!await grains.GetGrain<IStoreGrain>(_storeId).ActivateCalibration(active))
        {
            return new CalibrationFitResult(null, CalibrationRefusal.StoreNotFound, $"There is no store '{_storeId}'.");
        }

        state.State.FittedAt = now;
        state.State.LastReport = active.Report;
        await WriteAsync();
        return new CalibrationFitResult(active, CalibrationRefusal.None, null);
    }

    public async Task<CalibrationChange> End()
    {
        if (state.State.Advertisement is null)
        {
            return NotFound();
        }

        if (!state.State.Ended)
        {
            state.State.Ended = true;
            await WriteAsync();
        }

        await grains.GetGrain<IStoreGrain>(_storeId).CloseCalibration(_calibrationId);
        return CalibrationChange.Done;
    }

    public Task<CalibrationStatus?> GetStatus()
    {
        if (state.State.Advertisement is not { } advertisement)
        {
            return Task.FromResult<CalibrationStatus?>(null);
        }

        var perZone = Labelled(_ => true)
            .GroupBy(r => r.ZoneId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return Task.FromResult<CalibrationStatus?>(new CalibrationStatus(
            _storeId, _calibrationId, !state.State.Ended, advertisement, state.State.CreatedAt, [.. state.State.Marks],
            state.State.Readings.Count, perZone, state.State.FittedAt, state.State.LastReport));
    }

    /// <summary>Each sighting labelled with the zone of the last mark at or before it; sightings before the first mark or after a null mark are left out.</summary>
    private List<LabelledReading> Labelled(Func<string, bool> zoneExists)
    {
        var marks = state.State.Marks;
        var labelled = new List<LabelledReading>();
        if (marks.Count == 0)
        {
            return labelled;
        }

        var times = marks.Select(m => m.At.ToUnixTimeMilliseconds()).ToArray();
        foreach (var reading in state.State.Readings)
        {
            var i = Array.BinarySearch(times, reading.AtMs);
            if (i < 0)
            {
                i = ~i - 1;
            }
            else
            {
                // Several marks at one millisecond: the last of them holds.
                while (i + 1 < times.Length && times[i + 1] == reading.AtMs)
                {
                    i++;
                }
            }

            if (i >= 0 && marks[i].ZoneId is { } zone && zoneExists(zone))
            {
                labelled.Add(new LabelledReading(state.State.Gateways[reading.Gateway], reading.Rssi, DateTimeOffset.FromUnixTimeMilliseconds(reading.AtMs), zone));
            }
        }

        return labelled;
    }

    private string NothingLabelledReason() => state.State.Marks.Count == 0
        ? $"Calibration '{_calibrationId}' has no marks: post the zone the device is in (POST .../calibrations/{_calibrationId}/marks) while the store's gateways hear its advertisement, then fit."
        : state.State.Readings.Count == 0
            ? $"Calibration '{_calibrationId}' has heard no sightings of its advertisement (uuid {state.State.Advertisement!.Uuid:D}, major {state.State.Advertisement.Major}, minor {state.State.Advertisement.Minor}): make the device transmit it near the store's gateways, then fit."
            : $"None of the {state.State.Readings.Count} sightings of calibration '{_calibrationId}' falls in a marked zone of the store: mark zones at the times the device was heard (marks before the sightings, not after), then fit.";

    private CalibrationChange? Refusal() =>
        state.State.Advertisement is null ? NotFound()
        : state.State.Ended ? new CalibrationChange(CalibrationRefusal.WalkEnded, $"Calibration '{_calibrationId}' has ended; start a new one with POST /api/v1/stores/{_storeId}/calibrations.")
        : null;

    private CalibrationChange NotFound() =>
        new(CalibrationRefusal.WalkNotFound, $"Store '{_storeId}' has no calibration '{_calibrationId}'. Start one with POST /api/v1/stores/{_storeId}/calibrations.");

    private async Task WriteBehindAsync(CancellationToken cancellationToken)
    {
        _writeTimer?.Dispose();
        _writeTimer = null;
        await WriteIfDirtyAsync(cancellationToken);
    }

    private async Task WriteIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await WriteAsync();
        }
    }

    private async Task WriteAsync()
    {
        _dirty = false;
        await state.WriteStateAsync();
    }
}

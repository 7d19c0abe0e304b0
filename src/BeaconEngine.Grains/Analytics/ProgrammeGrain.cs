using BeaconEngine.Contracts.Analytics;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// The programme's groups. A basket is stored before the till hears back; a visit arrives one-way from the
/// sightings' path and is stored behind, at most once per <see cref="StoreEvery"/> (and when the activation
/// ends), so it adds no durable write to a coupon's path. A shopper's group is decided by the caller (by
/// hash, see <c>GlobalControl</c>) and kept as first seen, so a later change of the store's share does not
/// move a shopper's history between groups.
/// </summary>
internal sealed partial class ProgrammeGrain(
    [PersistentState("programme", StorageNames.State)] IPersistentState<ProgrammeState> state,
    ILogger<ProgrammeGrain> logger) : Grain, IProgrammeGrain
{
    private static readonly TimeSpan StoreEvery = TimeSpan.FromSeconds(1);

    private IGrainTimer? _storeTimer;

    public Task Visited(string shopperKey, bool globalControl)
    {
        var member = Member(shopperKey, globalControl);
        state.State.Members[shopperKey] = member with { Visits = member.Visits + 1 };
        _storeTimer ??= this.RegisterGrainTimer(StoreAsync, new GrainTimerCreationOptions(StoreEvery, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_storeTimer is not null)
        {
            await StoreAsync(cancellationToken);
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task StoreAsync(CancellationToken cancellation)
    {
        _storeTimer?.Dispose();
        _storeTimer = null;
        try
        {
            await state.WriteStateAsync(cancellation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Kept in memory: the next visit or basket stores it.
            LogNotStored(logger, ex, this.GetPrimaryKeyString());
        }
    }

    public async Task Basket(string shopperKey, bool globalControl, decimal total)
    {
        var member = Member(shopperKey, globalControl);
        state.State.Members[shopperKey] = member with { Baskets = member.Baskets + 1, Spend = member.Spend + total };
        await state.WriteStateAsync();
    }

    public Task<ProgrammeReport> GetReport()
    {
        var treated = new Totals();
        var control = new Totals();
        foreach (var member in state.State.Members.Values)
        {
            (member.GlobalControl ? control : treated).Add(member);
        }

        return Task.FromResult(new ProgrammeReport(treated.ToGroup(), control.ToGroup()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Programme visits of store {StoreId} could not be stored; the next change tries again")]
    private static partial void LogNotStored(ILogger logger, Exception ex, string storeId);

    private ProgrammeMember Member(string shopperKey, bool globalControl) =>
        state.State.Members.TryGetValue(shopperKey, out var member) ? member : new ProgrammeMember(globalControl, 0, 0, 0);

    private sealed class Totals
    {
        private long _shoppers;
        private double _visits, _visitSquares, _baskets, _basketSquares, _spend, _spendSquares;

        public void Add(ProgrammeMember m)
        {
            _shoppers++;
            _visits += m.Visits;
            _visitSquares += (double)m.Visits * m.Visits;
            _baskets += m.Baskets;
            _basketSquares += (double)m.Baskets * m.Baskets;
            var spend = (double)m.Spend;
            _spend += spend;
            _spendSquares += spend * spend;
        }

        public ProgrammeGroup ToGroup() => new(_shoppers, _visits, _visitSquares, _baskets, _basketSquares, _spend, _spendSquares);
    }
}

[GenerateSerializer]
public sealed class ProgrammeState
{
    /// <summary>Shoppers (by pseudonym) seen in the store.</summary>
    [Id(0)] public Dictionary<string, ProgrammeMember> Members { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer]
public sealed record ProgrammeMember(
    [property: Id(0)] bool GlobalControl, [property: Id(1)] int Visits, [property: Id(2)] int Baskets, [property: Id(3)] decimal Spend);

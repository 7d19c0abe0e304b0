using BeaconEngine.Contracts.Analytics;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Analytics;

/// <summary>
/// The programme's groups. A basket is stored before the till hears back; a visit arrives one-way from the
/// sightings' path and is stored behind (<see cref="WriteBehind"/>), at most once a second (and when the
/// activation ends), so it adds no durable write to a coupon's path. A shopper's group is decided by the caller (by
/// hash, see <c>GlobalControl</c>) and kept as first seen, so a later change of the store's share does not
/// move a shopper's history between groups.
/// </summary>
internal sealed class ProgrammeGrain(
    [PersistentState("programme", StorageNames.State)] IPersistentState<ProgrammeState> state,
    ILogger<ProgrammeGrain> logger) : Grain, IProgrammeGrain
{
    private WriteBehind? _writeBehind;

    private WriteBehind Stored => _writeBehind ??= new WriteBehind(this, state, logger);

    public Task Visited(string shopperKey, bool globalControl)
    {
        var member = Member(shopperKey, globalControl);
        state.State.Members[shopperKey] = member with { Visits = member.Visits + 1 };
        Stored.Changed();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Stored.StoreBeforeEndingAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
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

using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Shoppers;

internal sealed class RotationRosterGrain(
    [PersistentState("rotation", StorageNames.State)] IPersistentState<RotationRosterState> state) : Grain, IRotationRosterGrain
{
    // Enough for nodes that check every few seconds to catch up change by change.
    private const int KeptChanges = 1_000;

    public async Task Add(string shopperId, byte[] sealedSecret)
    {
        state.State.Secrets[shopperId] = sealedSecret;
        await RecordAsync(shopperId, removed: false);
    }

    public async Task Remove(string shopperId)
    {
        if (state.State.Secrets.Remove(shopperId))
        {
            await RecordAsync(shopperId, removed: true);
        }
    }

    public Task<int> Count() => Task.FromResult(state.State.Secrets.Count);

    public Task<byte[]?> GetSealedSecret(string shopperId) => Task.FromResult(state.State.Secrets.GetValueOrDefault(shopperId));

    public Task<RosterChanges> GetSince(long version)
    {
        var s = state.State;
        if (version == s.Version)
        {
            return Task.FromResult(new RosterChanges(version, false, [], []));
        }

        // Changes are known from the version before the oldest kept one; anything older gets the whole roster.
        if (version > 0 && version <= s.Version && s.Changes.Count > 0 && s.Changes[0].Version <= version + 1)
        {
            var changes = s.Changes.Where(c => c.Version > version).ToList();
            var latest = changes.GroupBy(c => c.ShopperId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
            return Task.FromResult(new RosterChanges(
                s.Version,
                false,
                [.. latest.Where(c => !c.Removed && s.Secrets.ContainsKey(c.ShopperId)).Select(c => new RosterEntry(c.ShopperId, s.Secrets[c.ShopperId]))],
                [.. latest.Where(c => c.Removed).Select(c => c.ShopperId)]));
        }

        return Task.FromResult(new RosterChanges(s.Version, true, [.. s.Secrets.Select(p => new RosterEntry(p.Key, p.Value))], []));
    }

    private async Task RecordAsync(string shopperId, bool removed)
    {
        var s = state.State;
        s.Version++;
        s.Changes.Add(new RosterChange { Version = s.Version, ShopperId = shopperId, Removed = removed });
        if (s.Changes.Count > KeptChanges)
        {
            s.Changes.RemoveRange(0, s.Changes.Count - KeptChanges);
        }

        await state.WriteStateAsync();
    }
}

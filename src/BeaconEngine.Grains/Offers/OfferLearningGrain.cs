using BeaconEngine.Contracts.Offers;

namespace BeaconEngine.Grains.Offers;

internal sealed class OfferLearningGrain(
    [PersistentState("learning", StorageNames.State)] IPersistentState<OfferLearningState> state) : Grain, IOfferLearningGrain
{
    public async Task Record(string offerId, string? segment, bool redeemed)
    {
        Count(offerId, redeemed);
        if (!string.IsNullOrEmpty(segment))
        {
            Count($"{offerId}/{segment}", redeemed);
        }

        await state.WriteStateAsync();
    }

    public Task<OfferOutcomeCount[]> GetCounts() => Task.FromResult(state.State.Counts
        .Select(p =>
        {
            var slash = p.Key.IndexOf('/', StringComparison.Ordinal);
            return slash < 0
                ? new OfferOutcomeCount(p.Key, null, p.Value[0], p.Value[1])
                : new OfferOutcomeCount(p.Key[..slash], p.Key[(slash + 1)..], p.Value[0], p.Value[1]);
        })
        .ToArray());

    private void Count(string key, bool redeemed)
    {
        if (!state.State.Counts.TryGetValue(key, out var counts))
        {
            state.State.Counts[key] = counts = new long[2];
        }

        counts[redeemed ? 0 : 1]++;
    }
}

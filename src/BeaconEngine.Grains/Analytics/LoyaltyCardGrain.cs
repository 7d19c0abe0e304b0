using BeaconEngine.Contracts.Analytics;

namespace BeaconEngine.Grains.Analytics;

[GenerateSerializer]
public sealed class LoyaltyCardState
{
    [Id(0)] public string? ShopperId { get; set; }

    /// <summary>The store confirmed the holder: later claims are kept for the store to see, and dispute nothing.</summary>
    [Id(1)] public bool Confirmed { get; set; }

    /// <summary>Shoppers who linked the card while another held it.</summary>
    [Id(2)] public List<string> Claimants { get; set; } = [];
}

/// <summary>
/// One card's holder. Linking answers every shopper alike, so nobody learns from it that a card is someone
/// else's: the claim of a card held by another is kept, and until the store confirms who holds it the till
/// names nobody by it. A confirmed holder keeps the card through later claims.
/// </summary>
internal sealed class LoyaltyCardGrain(
    [PersistentState("loyalty", StorageNames.State)] IPersistentState<LoyaltyCardState> state,
    IGrainFactory grains) : Grain, ILoyaltyCardGrain
{
    // Claims beyond this are answered alike and not kept: the store settles the card with those it has.
    internal const int MaxClaimants = 16;

    public async Task Claim(string shopperId)
    {
        var s = state.State;
        if (s.ShopperId is null && s.Claimants.Count == 0)
        {
            s.ShopperId = shopperId;
            await state.WriteStateAsync();
        }
        else if (s.ShopperId != shopperId && !s.Claimants.Contains(shopperId) && s.Claimants.Count < MaxClaimants)
        {
            s.Claimants.Add(shopperId);
            await state.WriteStateAsync();
        }
    }

    public async Task Unlink(string shopperId)
    {
        var s = state.State;
        if (s.ShopperId == shopperId)
        {
            // The claimants stay: the card is theirs to settle with the store, never handed to the first of them.
            s.ShopperId = null;
            s.Confirmed = false;
        }
        else if (!s.Claimants.Remove(shopperId))
        {
            return;
        }

        if (s.ShopperId is null && s.Claimants.Count == 0)
        {
            await state.ClearStateAsync();
            state.State = new LoyaltyCardState();
            DeactivateOnIdle();
        }
        else
        {
            await state.WriteStateAsync();
        }
    }

    public Task<LoyaltyCardHolder> Resolve()
    {
        var s = state.State;
        var disputed = !s.Confirmed && s.Claimants.Count > 0;
        return Task.FromResult(new LoyaltyCardHolder(disputed ? null : s.ShopperId, disputed));
    }

    public Task<LoyaltyCardStatus?> Describe() => Task.FromResult(Status());

    public async Task<LoyaltyCardStatus?> Confirm(string shopperId)
    {
        var s = state.State;
        if (s.ShopperId != shopperId && !s.Claimants.Contains(shopperId))
        {
            return null;
        }

        var displaced = s.Claimants.Where(c => c != shopperId).ToList();
        if (s.ShopperId is { } holder && holder != shopperId)
        {
            displaced.Add(holder);
        }

        s.ShopperId = shopperId;
        s.Confirmed = true;
        s.Claimants = [];
        await state.WriteStateAsync();

        // The others' settings let go of the card, so their app no longer shows it as theirs.
        var loyaltyId = this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal) + 1)..];
        foreach (var other in displaced)
        {
            var settings = grains.GetGrain<IShopperSettingsGrain>(other);
            var current = await settings.Get();
            if (current.LoyaltyId == loyaltyId)
            {
                await settings.Set(current with { LoyaltyId = null });
            }
        }

        return Status();
    }

    private LoyaltyCardStatus? Status()
    {
        var s = state.State;
        return s.ShopperId is null && s.Claimants.Count == 0 ? null : new LoyaltyCardStatus(s.ShopperId, s.Confirmed, [.. s.Claimants]);
    }
}

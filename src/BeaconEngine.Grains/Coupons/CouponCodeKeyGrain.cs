using System.Security.Cryptography;
using BeaconEngine.Contracts.Coupons;

namespace BeaconEngine.Grains.Coupons;

[GenerateSerializer]
public sealed class CouponCodeKeyState
{
    /// <summary>The state's name in storage.</summary>
    public const string Name = "codeKey";

    [Id(0)] public byte[]? Key { get; set; }
}

/// <summary>Keeps the cluster's code-sealing key: made once, stored before any code is sealed with it.</summary>
internal sealed class CouponCodeKeyGrain(
    [PersistentState(CouponCodeKeyState.Name, StorageNames.State)] IPersistentState<CouponCodeKeyState> state) : Grain, ICouponCodeKeyGrain
{
    public Task<byte[]?> Get() => Task.FromResult(state.State.Key);

    public async Task<byte[]> GetOrCreate()
    {
        if (state.State.Key is null)
        {
            state.State.Key = RandomNumberGenerator.GetBytes(SealedCodeCipher.KeyBytes);
            try
            {
                await state.WriteStateAsync();
            }
            catch (Orleans.Storage.InconsistentStateException)
            {
                // Another activation (a node that lost touch for a moment) stored one first: that one is the key.
                await state.ReadStateAsync();
            }
        }

        return state.State.Key!;
    }
}

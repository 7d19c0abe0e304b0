using BeaconEngine.Contracts.Analytics;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Shoppers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BeaconEngine.Grains.Coupons;

/// <summary>
/// The till's codes. A new coupon's code is sealed (<see cref="SealedCodeCipher"/>): it carries its shopper, so
/// issuing it stores nothing, and the shopper's wallet redeems it exactly once. Codes filed before (and, should a
/// shopper's id not have the engine's form, new ones) are rows of their own: the ticket is stored as the code
/// grain's state, created only if the code has none yet, without activating the grain, and that grain is the
/// single writer of the code's redemption. One instance per node; the API routes a till's code through it.
/// </summary>
public sealed class CouponCodeBook(IServiceProvider services, IGrainFactory grains) : ICouponCodes
{
    private const int FiledCodeLength = 10;

    private IGrainStorage? _storage;
    private SealedCodeCipher? _cipher;

    public async Task<string?> TryIssueAsync(CouponTicket ticket)
    {
        if (SealedCodeCipher.CanSeal(ticket.ShopperId))
        {
            return (await CipherAsync(create: true))!.TrySeal(ticket.ShopperId);
        }

        var code = Ids.Random(FiledCodeLength);
        return await TryFileAsync(code, ticket) ? code : null;
    }

    /// <summary>Files <paramref name="ticket"/> as the row of <paramref name="code"/>; false if the code is taken.</summary>
    public async Task<bool> TryFileAsync(string code, CouponTicket ticket)
    {
        _storage ??= services.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
        var row = new GrainState<CouponCodeState>(new CouponCodeState { Ticket = ticket });
        try
        {
            await _storage.WriteStateAsync(CouponCodeState.Name, grains.GetGrain<ICouponCodeGrain>(code).GetGrainId(), row);
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    public Task RemoveAsync(string code) =>
        SealedCodeCipher.IsSealedForm(code) ? Task.CompletedTask : grains.GetGrain<ICouponCodeGrain>(code).Remove();

    /// <summary>A till's scan of <paramref name="code"/> (upper case) in store <paramref name="storeId"/>.</summary>
    public async Task<RedemptionResult> RedeemAsync(string storeId, string code, DateTimeOffset at)
    {
        if (!SealedCodeCipher.IsSealedForm(code))
        {
            return await grains.GetGrain<ICouponCodeGrain>(code).Redeem(storeId, at);
        }

        return await OpenAsync(code) is { } opened
            ? await grains.GetGrain<IShopperGrain>(opened.ShopperId).RedeemCode(storeId, opened.Code, at)
            : new RedemptionResult(RedemptionOutcome.NotFound, null);
    }

    /// <summary>
    /// The shopper a code of theirs names (any status), without redeeming it; null for an unknown code. A sealed
    /// code's shopper is not asked here: the caller's call to them finds out whether they are of the store.
    /// </summary>
    public async Task<string?> ShopperOfAsync(string storeId, string code)
    {
        if (SealedCodeCipher.IsSealedForm(code))
        {
            return (await OpenAsync(code))?.ShopperId;
        }

        return await grains.GetGrain<ICouponLookupGrain>(code).GetTicket() is { } ticket && ticket.StoreId == storeId ? ticket.ShopperId : null;
    }

    private async Task<OpenedCode?> OpenAsync(string code) => (await CipherAsync(create: false))?.TryOpen(code);

    /// <summary>The cluster's cipher, asked for once per node; opening a code never makes the key (no code exists without it).</summary>
    private async ValueTask<SealedCodeCipher?> CipherAsync(bool create)
    {
        if (_cipher is null)
        {
            var keys = grains.GetGrain<ICouponCodeKeyGrain>(0);
            var key = create ? await keys.GetOrCreate() : await keys.Get();
            if (key is not null)
            {
                _cipher = new SealedCodeCipher(key);
            }
        }

        return _cipher;
    }
}

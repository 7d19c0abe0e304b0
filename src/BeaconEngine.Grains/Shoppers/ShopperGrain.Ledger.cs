using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Contracts.Offers;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// The shopper's side of the offers' books: settling budget reservations once the wallet holds the
/// coupon, and an outbox for acknowledgements and dismissals, stored with the wallet change they
/// describe and retried until the offer has counted them.
/// </summary>
internal sealed partial class ShopperGrain
{
    private const int FeedbackAttempts = 3;
    private static readonly TimeSpan OutboxRetry = TimeSpan.FromSeconds(5);

    // The coupon reserved in this turn whose wallet write has not finished yet.
    private string? _writing;
    private IGrainTimer? _outboxTimer;

    // Outbox entries counted by their offer since the last write (the next write forgets them).
    private bool _outboxSent;

    public Task<CouponHolding> Holds(string couponId) => Task.FromResult(
        _writing == couponId ? CouponHolding.Writing
        : FindCoupon(couponId) >= 0 ? CouponHolding.Held
        : CouponHolding.NotHeld);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // An activation that ends while the shopper is in a zone closes the stay when it next starts.
        silence.Forget(ShopperId);

        // Store that the outbox was counted, so a later activation does not count it again.
        if (_outboxSent && state.State.Profile is not null)
        {
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogOutboxNotStored(logger, ex, ShopperId);
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Settles the coupon's budget reservation; if this fails, the offer asks the wallet later.</summary>
    private async Task ConfirmAsync(Coupon coupon)
    {
        try
        {
            await GrainFactory.GetGrain<IOfferGrain>(coupon.OfferId).Confirm(coupon.CouponId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConfirmFailed(logger, ex, coupon.CouponId);
        }
    }

    /// <summary>Sends the outbox in order; what cannot be sent now is tried again in a few seconds.</summary>
    private async Task FlushOutboxAsync()
    {
        var outbox = state.State.Outbox;
        while (outbox.Count > 0)
        {
            if (!await TrySendAsync(outbox[0]))
            {
                _outboxTimer ??= this.RegisterGrainTimer(RetryOutboxAsync, new GrainTimerCreationOptions(OutboxRetry, OutboxRetry) { KeepAlive = true });
                return;
            }

            outbox.RemoveAt(0);
            _outboxSent = true;
        }

        _outboxTimer?.Dispose();
        _outboxTimer = null;
    }

    /// <summary>An outbox left by an earlier activation is sent soon after this one starts.</summary>
    private void ResumeOutbox()
    {
        if (state.State.Outbox.Count > 0)
        {
            _outboxTimer ??= this.RegisterGrainTimer(RetryOutboxAsync, new GrainTimerCreationOptions(TimeSpan.Zero, OutboxRetry) { KeepAlive = true });
        }
    }

    private Task RetryOutboxAsync(CancellationToken cancellation) => FlushOutboxAsync();

    private async Task<bool> TrySendAsync(OfferFeedback feedback)
    {
        var offer = GrainFactory.GetGrain<IOfferGrain>(feedback.OfferId);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (feedback.Feedback == CouponFeedback.Delivered)
                {
                    await offer.RecordFeedback(feedback.Feedback);
                }
                else
                {
                    await offer.RecordClosed(feedback.Feedback, feedback.ExpiresAt, feedback.At);
                }

                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogFeedbackFailed(logger, ex, feedback.Feedback, feedback.OfferId, attempt);
                if (attempt == FeedbackAttempts)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), time);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm coupon {CouponId} to its offer; the offer will ask the wallet")]
    private static partial void LogConfirmFailed(ILogger logger, Exception ex, string couponId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback {Feedback} for offer {OfferId} failed (attempt {Attempt}); it stays in the outbox")]
    private static partial void LogFeedbackFailed(ILogger logger, Exception ex, CouponFeedback feedback, string offerId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shopper {ShopperId}: the sent outbox could not be stored at deactivation")]
    private static partial void LogOutboxNotStored(ILogger logger, Exception ex, string shopperId);
}

using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// Sends the shopper's outbox (feedback stored with the wallet change it describes) to the offers' books,
/// in order, each a few times; what cannot be sent now stays for the next flush. An offer counts a feedback
/// only once it has stored it, so a resend after a failure counts once.
/// </summary>
internal sealed partial class FeedbackOutbox(IOfferBooks offers, TimeProvider time, ILogger logger)
{
    public const int Attempts = 3;

    /// <summary>Whether entries were sent (and removed) since the state was last stored.</summary>
    public bool SentSinceStored { get; set; }

    /// <summary>Sends <paramref name="outbox"/> from its head; true when it is empty.</summary>
    public async Task<bool> FlushAsync(List<OfferFeedback> outbox)
    {
        while (outbox.Count > 0)
        {
            if (!await TrySendAsync(outbox[0]))
            {
                return false;
            }

            outbox.RemoveAt(0);
            SentSinceStored = true;
        }

        return true;
    }

    /// <summary>At deactivation: stores that entries were sent, so a later activation does not send them again.</summary>
    public async Task StoreIfSentAsync(string shopperId, Func<Task> store)
    {
        if (!SentSinceStored)
        {
            return;
        }

        try
        {
            await store();
            SentSinceStored = false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotStored(logger, ex, shopperId);
        }
    }

    private async Task<bool> TrySendAsync(OfferFeedback feedback)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await offers.RecordFeedbackAsync(feedback);
                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogFeedbackFailed(logger, ex, feedback.Feedback, feedback.OfferId, attempt);
                if (attempt == Attempts)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), time);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shopper {ShopperId}: the sent outbox could not be stored at deactivation")]
    private static partial void LogNotStored(ILogger logger, Exception ex, string shopperId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback {Feedback} for offer {OfferId} failed (attempt {Attempt}); it stays in the outbox")]
    private static partial void LogFeedbackFailed(ILogger logger, Exception ex, Contracts.Offers.CouponFeedback feedback, string offerId, int attempt);
}

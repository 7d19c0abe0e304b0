using BeaconEngine.Contracts.Coupons;
using Microsoft.Extensions.Logging;

namespace BeaconEngine.Grains.Coupons;

/// <summary>Hands a stored coupon to the push (one instance per node); see <see cref="CouponDelivery"/>.</summary>
internal interface ICouponDelivery
{
    /// <summary>Pushes a coupon the wallet holds; a failure is logged, since the app gets it again when it reconnects.</summary>
    Task DeliverAsync(string shopperId, Coupon coupon, long? batchReceived);
}

/// <summary>
/// The push port with the coupon's trace span and the engine's latency: a coupon a gateway batch caused is
/// timed from the batch's arrival (<see cref="CouponLatency"/>) to the moment it is handed to the push.
/// </summary>
internal sealed partial class CouponDelivery(ICouponPusher pusher, CouponLatency latency, ILogger<CouponDelivery> logger) : ICouponDelivery
{
    public async Task DeliverAsync(string shopperId, Coupon coupon, long? batchReceived)
    {
        // The last step of a batch's trace: the span sits under the grain call that decided the coupon.
        using var activity = EngineTelemetry.Source.StartActivity("push coupon", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("beaconengine.coupon.id", coupon.CouponId);
        activity?.SetTag("beaconengine.offer.id", coupon.OfferId);
        try
        {
            var pushing = pusher.PushAsync(shopperId, coupon);
            if (batchReceived is { } arrival)
            {
                latency.Pushed(arrival);
            }

            await pushing;
        }
        catch (Exception ex)
        {
            // Stored already; the app gets it again when it reconnects.
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            LogPushFailed(logger, ex, coupon.CouponId, shopperId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of coupon {CouponId} to shopper {ShopperId} failed; it stays in the wallet for redelivery")]
    private static partial void LogPushFailed(ILogger logger, Exception ex, string couponId, string shopperId);
}

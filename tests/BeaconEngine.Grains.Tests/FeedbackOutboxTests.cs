using BeaconEngine.Contracts.Offers;
using BeaconEngine.Grains.Shoppers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BeaconEngine.Grains.Tests;

/// <summary><see cref="FeedbackOutbox"/> without a host: in order, retried on the clock, kept when the offer cannot count it.</summary>
public sealed class FeedbackOutboxTests
{
    private readonly ShopperPortFakes _offers = new();
    private readonly FakeTimeProvider _clock = new(PlainStore.Noon);
    private readonly FeedbackOutbox _outbox;
    private readonly List<OfferFeedback> _entries =
    [
        new("offer-1", CouponFeedback.Delivered, PlainStore.Noon.AddHours(1), PlainStore.Noon),
        new("offer-1", CouponFeedback.Dismissed, PlainStore.Noon.AddHours(1), PlainStore.Noon),
    ];

    public FeedbackOutboxTests() => _outbox = new FeedbackOutbox(_offers, _clock, NullLogger.Instance);

    [Fact]
    public async Task Entries_are_sent_in_order_and_leave_the_outbox_once_counted()
    {
        Assert.True(await _outbox.FlushAsync(_entries));

        Assert.Empty(_entries);
        Assert.True(_outbox.SentSinceStored);
        Assert.Equal(["feedback Delivered", "feedback Dismissed"], _offers.Log);
    }

    [Fact]
    public async Task A_send_that_fails_is_retried_on_the_clock_and_one_that_keeps_failing_stays_at_the_head()
    {
        _offers.FeedbackFailures = FeedbackOutbox.Attempts;

        var flushing = _outbox.FlushAsync(_entries);
        while (!flushing.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(flushing, Task.Delay(10));
        }

        Assert.False(await flushing);
        Assert.Equal(2, _entries.Count);
        Assert.False(_outbox.SentSinceStored);
        Assert.Equal(Enumerable.Repeat("feedback Delivered failed", FeedbackOutbox.Attempts), _offers.Log);

        // The offer can count again: the next flush sends both, the failed one first.
        Assert.True(await _outbox.FlushAsync(_entries));
        Assert.Equal(["feedback Delivered", "feedback Dismissed"], _offers.Log.Skip(FeedbackOutbox.Attempts));
    }

    [Fact]
    public async Task What_was_sent_is_stored_once_at_deactivation_and_nothing_is_stored_when_nothing_was_sent()
    {
        var stores = 0;
        await _outbox.StoreIfSentAsync("shp-1", () => Task.FromResult(++stores));
        Assert.Equal(0, stores);

        await _outbox.FlushAsync(_entries);
        await _outbox.StoreIfSentAsync("shp-1", () => Task.FromResult(++stores));
        await _outbox.StoreIfSentAsync("shp-1", () => Task.FromResult(++stores));
        Assert.Equal(1, stores);
    }
}

namespace BeaconEngine.Server.Tests.Guarantees;

/// <summary>The system clock, moved on by <see cref="Offset"/>: lets a test reach a coupon's expiry without waiting for it.</summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

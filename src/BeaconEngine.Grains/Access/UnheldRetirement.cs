namespace BeaconEngine.Grains.Access;

/// <summary>
/// Retires an activation that holds nothing (a key issued to nobody, an identity no shopper holds), or whose
/// answer its callers cache (a held beacon identity), a few seconds after its first lookup, so a flood of
/// guesses leaves no activations behind and a live shopper keeps no identity activation. Not at once: read-only
/// lookups queued behind an immediate deactivation would be forwarded and could be rejected.
/// </summary>
internal static class UnheldRetirement
{
    public static readonly TimeSpan After = TimeSpan.FromSeconds(5);

    public static IGrainTimer Schedule(Grain grain, Action deactivateOnIdle) =>
        grain.RegisterGrainTimer(() =>
        {
            deactivateOnIdle();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(After, Timeout.InfiniteTimeSpan) { KeepAlive = false });
}

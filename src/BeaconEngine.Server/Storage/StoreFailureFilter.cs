using BeaconEngine.Grains;
namespace BeaconEngine.Server.Storage;

/// <summary>
/// A grain whose call failed because its store did not answer may hold changes the store never took (or took
/// without saying so): it is deactivated, so its next call starts from what the store holds. Orleans does the
/// same on its own for a version conflict. The failure goes back to the caller as a
/// <see cref="StoreUnavailableException"/>, which, unlike the driver's, can cross nodes.
/// </summary>
public sealed class StoreFailureFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (context.Grain is Grain && StoreFailure.IsUnavailable(ex))
        {
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, ex, "Its store did not answer; reload from what it holds."), CancellationToken.None);
            if (ex is StoreUnavailableException)
            {
                throw;
            }

            throw new StoreUnavailableException($"The store did not answer: {Innermost(ex).Message}");
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }
}

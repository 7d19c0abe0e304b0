namespace BeaconEngine.Grains.Tests;

/// <summary>
/// For work a timer starts on the silo (a grain timer or the node's silence watch) after the fake clock moved:
/// the clock is not waited on, only the grain's turn that the timer queued.
/// </summary>
public static class Conditions
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Yield();
            await Task.Delay(10);
        }
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BeaconEngine.Server.Health;

/// <summary>Ready while the cluster's Redis (membership and grain state) answers a PING. One connection of its own, made on first use.</summary>
public sealed class RedisHealthCheck(string connectionString) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await ConnectAsync();
            var latency = await connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis does not answer: {ex.Message}");
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        if (_connection is { } made)
        {
            return made;
        }

        await _connecting.WaitAsync();
        try
        {
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(connectionString);

                // Keeps reconnecting in the background, so the check recovers when Redis does.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2000;
                options.SyncTimeout = 2000;
                options.AsyncTimeout = 2000;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _connecting.Dispose();
    }
}

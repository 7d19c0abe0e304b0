using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace BeaconEngine.Server.Limits;

/// <summary>
/// Kestrel connection middleware that counts open connections, in all and per client address, before any
/// HTTP is parsed. A connection past either limit gets a 503 problem and is closed at once, so a flood of
/// half-open connections or WebSockets costs the server a counter, not its memory.
/// </summary>
public sealed class ConnectionGate(ServerLimitOptions limits, ILogger<ConnectionGate> logger)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;
    private long _refused;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _total);

    /// <summary>Connections refused since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        var refusal = TryEnter(address);
        if (refusal is not null)
        {
            await RefuseAsync(connection, refusal);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Leave(address);
        }
    };

    private string? TryEnter(IPAddress address)
    {
        if (Interlocked.Increment(ref _total) > limits.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            return $"The server holds its maximum of {limits.MaxConnections} connections. Retry in a few seconds.";
        }

        var count = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        if (count > limits.MaxConnectionsPerAddress)
        {
            Leave(address);
            return $"This address holds its maximum of {limits.MaxConnectionsPerAddress} connections. Close some, or retry in a few seconds.";
        }

        return null;
    }

    private void Leave(IPAddress address)
    {
        Interlocked.Decrement(ref _total);

        // Remove the entry at zero so an address that came once costs nothing afterwards.
        while (_perAddress.TryGetValue(address, out var count))
        {
            if (count <= 1 ? _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, count)) : _perAddress.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }

    private async Task RefuseAsync(ConnectionContext connection, string detail)
    {
        var refused = Interlocked.Increment(ref _refused);
        if (refused == 1 || refused % 1000 == 0)
        {
            logger.LogWarning("Refused a connection from {Address}: {Reason} ({Refused} refused so far)",
                (connection.RemoteEndPoint as IPEndPoint)?.Address, detail, refused);
        }

        // Answered before the request is read: a client that sent one reads the 503; one that sent nothing
        // sees the connection close. Kept tiny and preformatted, since it is written under a flood.
        var body = $"{{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.6.4\",\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"{detail}\"}}";
        var head = $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n";
        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes(head + body));
            await connection.Transport.Output.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone already; nothing to answer.
        }
    }
}

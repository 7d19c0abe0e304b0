using System.Net;
using System.Net.Sockets;

namespace BeaconEngine.Server.Events;

/// <summary>
/// Which addresses a store's webhook may reach. With internal targets refused (<c>AllowInternalTargets=false</c>)
/// the address is checked when the connection is made, after DNS, so a name that resolves (or later re-resolves)
/// to an internal address is refused too.
/// </summary>
public static class WebhookTargets
{
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] >= 224                // this network, multicast, reserved
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)                           // link-local, cloud metadata services
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);            // carrier-grade NAT
    }

    /// <summary>A connect callback that refuses internal addresses.</summary>
    public static async ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellation);
        var allowed = addresses.Where(a => !IsInternal(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to internal addresses, which this server's webhooks may not reach (BeaconEngine:Events:Webhook:AllowInternalTargets).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

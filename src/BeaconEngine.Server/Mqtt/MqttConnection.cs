using MQTTnet;

namespace BeaconEngine.Server.Mqtt;

/// <summary>Reads <c>mqtt://user:password@host:port</c> (or <c>mqtts://</c>) into MQTTnet client options.</summary>
public static class MqttConnection
{
    public static MqttClientOptionsBuilder Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts" or "tcp" or "ssl"))
        {
            throw new ArgumentException($"'{connectionString}' is not an MQTT connection string such as mqtt://user:password@broker:1883.", nameof(connectionString));
        }

        var tls = uri.Scheme is "mqtts" or "ssl";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port;
        var builder = new MqttClientOptionsBuilder().WithTcpServer(uri.Host, port);
        if (tls)
        {
            builder.WithTlsOptions(o => o.UseTls());
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.WithCredentials(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null);
        }

        return builder;
    }
}

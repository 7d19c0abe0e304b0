using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>Waits on the node's own readiness report, which names each dependency, rather than on its metrics.</summary>
public static class Readiness
{
    /// <summary>Until the node's MQTT check is healthy, i.e. it has subscribed to the broker.</summary>
    public static async Task WaitForMqttAsync(EngineHost host)
    {
        using var client = host.CreateClient();
        await Eventually.WaitAsync(
            async () => await client.GetFromJsonAsync<JsonObject>("/health/ready") ?? [],
            report => report["checks"]?["mqtt"]?["status"]?.GetValue<string>() == "healthy",
            what: "the server to subscribe to the broker");
    }
}

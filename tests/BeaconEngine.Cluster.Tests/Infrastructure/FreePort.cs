namespace BeaconEngine.Cluster.Tests.Infrastructure;

/// <summary>Ports for the nodes, Redis and PostgreSQL: see <see cref="BeaconEngine.Server.Tests.Infrastructure.TestPorts"/>.</summary>
internal static class FreePort
{
    public static int Next() => BeaconEngine.Server.Tests.Infrastructure.TestPorts.Next();
}

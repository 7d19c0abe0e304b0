namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>A default server shared by every class of a collection: tests work in stores of their own, so they do not meet.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public EngineHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await EngineHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Two collections on two servers instead of a server per class: classes of one collection run one after
/// another on its server, and the two collections run side by side.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedEngineA : ICollectionFixture<EngineFixture>
{
    public const string Name = "Shared engine A";
}

/// <inheritdoc cref="SharedEngineA"/>
[CollectionDefinition(Name)]
public sealed class SharedEngineB : ICollectionFixture<EngineFixture>
{
    public const string Name = "Shared engine B";
}

using System.Collections.Concurrent;
using BeaconEngine.Contracts.Coupons;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// One in-process Orleans cluster for the grain tests: the engine's grains on in-memory storage that can be
/// told to fail, with a <see cref="FakeTimeProvider"/> as the silo's clock, so time moves only when a test
/// advances it. The push port records what it is handed.
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    /// <summary>A weekday noon in UTC: no quiet hours, no schedule edge.</summary>
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private InProcessTestCluster _cluster = null!;

    public FakeTimeProvider Clock { get; } = new(Noon);

    /// <summary>The fake clock's time once the silo had started.</summary>
    public DateTimeOffset Start { get; private set; }

    public RecordingPusher Pushes { get; } = new();

    /// <summary>Grain calls and durable writes on the silo, counted.</summary>
    public GrainCosts Costs { get; } = new();

    public IGrainFactory Grains => _cluster.Client;

    /// <summary>Storage faults for one state name (e.g. "shopper"): the next write (or read) of a grain named there throws.</summary>
    public IStorageFaultGrain Faults(string stateName) => Grains.GetGrain<IStorageFaultGrain>(stateName);

    /// <summary>The silo's grain storage, as the grains read and write it.</summary>
    public Orleans.Storage.IGrainStorage Storage =>
        _cluster.GetSiloServiceProvider().GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(StorageNames.State);

    /// <summary>Deactivates the grain's activation and waits until it is gone: the next call reads its state again.</summary>
    public Task DeactivateAsync(IAddressable grain) => WhileClockRunsAsync(_cluster.DeactivateAsync(grain));

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // Grain state stored as production stores it (the Orleans serializer, private fields included), not as JSON.
            silo.AddFaultInjectionMemoryStorage(StorageNames.State, (Orleans.Configuration.MemoryGrainStorageOptions _) => { }, _ => { });
            silo.Services.AddSingleton<Orleans.Storage.IGrainStorageSerializer>(
                sp => new Orleans.Storage.OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()));
            Costs.CountWritesOf(silo.Services, StorageNames.State);
            silo.AddIncomingGrainCallFilter(Costs);
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddBeaconEngineGrains();

            // No global control group: the tests' fixed shoppers must get their coupons.
            silo.Services.Configure<EngineOptions>(o => o.GlobalControlShare = 0);
            silo.Services.AddSingleton<ICouponPusher>(Pushes);
        });
        _cluster = builder.Build();

        await WhileClockRunsAsync(_cluster.DeployAsync());
        Start = Clock.GetUtcNow();
    }

    public async Task DisposeAsync() => await WhileClockRunsAsync(_cluster.DisposeAsync().AsTask());

    /// <summary>
    /// Orleans waits on the silo's clock while it starts and stops (it is the silo's only TimeProvider): the
    /// fake clock is moved along until that is done. Tests themselves never run it like this.
    /// </summary>
    private async Task WhileClockRunsAsync(Task work)
    {
        while (!work.IsCompleted)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(work, Task.Delay(10));
        }

        await work;
    }
}

/// <summary>The push port as the grains see it: every coupon handed over, in order.</summary>
public sealed class RecordingPusher : ICouponPusher
{
    private readonly ConcurrentQueue<(string ShopperId, Coupon Coupon)> _pushed = new();

    public IReadOnlyList<Coupon> To(string shopperId) => [.. _pushed.Where(p => p.ShopperId == shopperId).Select(p => p.Coupon)];

    public ValueTask PushAsync(string shopperId, Coupon coupon)
    {
        _pushed.Enqueue((shopperId, coupon));
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainCluster>
{
    public const string Name = "Grain cluster";
}

using System.Text;
using System.Text.Json;
using BeaconEngine.Contracts.Shoppers;
using BeaconEngine.Contracts.Stores;
using BeaconEngine.Grains;
using BeaconEngine.Grains.Coupons;
using BeaconEngine.Grains.Hosting;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Proximity.Rotation;
using BeaconEngine.Server.Hosting;
using BeaconEngine.Server.Ingestion;
using BeaconEngine.Server.Security;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeaconEngine.Benchmarks;

/// <summary>
/// The server's whole ingestion read path for one gateway batch, static store against rotating store, with the same
/// number of shoppers: the JSON body parsed, each item checked, the store's view read, the identities resolved (static
/// ones through the node's <see cref="IdentityResolver"/> cache, rotating ones through the store's rotation tables) and
/// the sightings grouped per shopper, as <c>POST /api/v1/sightings</c> does before the gateway grain takes the batch.
/// Real grains on an in-process Orleans silo (memory storage) hold the stores, the shoppers, their static identities and
/// the rotation roster, enrolled as the API enrols them. The node's clock is held still so that the static cache
/// (answers kept a minute) and the rotation tables (roster checked every 5 s) stay warm for the whole measurement, as they
/// are between refreshes on a busy node.
/// </summary>
[MemoryDiagnoser]
public class IngestionBenchmarks
{
    private const int Batch = 1_000;
    private const string GatewayId = "gw-1";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 14, 5, 0, TimeSpan.Zero);

    private IHost _host = null!;
    private SightingIngestor _ingestor = null!;
    private byte[] _staticBody = [];
    private byte[] _rotatingBody = [];

    [Params(10_000)]
    public int Shoppers { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _host.StopAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<int> Static() => ReadAsync("static", _staticBody);

    [Benchmark]
    public Task<int> Rotating() => ReadAsync("rotating", _rotatingBody);

    private async Task<int> ReadAsync(string storeId, byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var batch = await _ingestor.ReadAsync(storeId, GatewayId, null, json.RootElement);
        return batch.Shoppers.Length;
    }

    private async Task SetupAsync()
    {
        var time = new StillClock(Now);
        _host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort: 21_311, gatewayPort: 31_311);
                silo.AddMemoryGrainStorage(StorageNames.State);
                silo.Services.AddBeaconEngineGrains();
                silo.Services.AddSingleton<ICouponPusher, NoPushes>();
            })
            .Build();
        await _host.StartAsync();
        var grains = _host.Services.GetRequiredService<IGrainFactory>();
        var sealer = new RotationSecretSealer(Options.Create(new BeaconEngineOptions { RotationKey = Convert.ToBase64String(new byte[32]) }));
        var identities = new IdentityResolver(grains, time, new RateLimitOptions());
        var rotating = new RotatingIdentities(grains, sealer, time);
        _ingestor = new SightingIngestor(_host.Services.GetRequiredService<IStoreDirectory>(), identities, rotating, time);

        var random = new Random(21);
        var heardStatic = await EnrolAsync(grains, rotating, "static", rotatingStore: false, random);
        var heardRotating = await EnrolAsync(grains, rotating, "rotating", rotatingStore: true, random);

        // The same shoppers' slots heard in both stores, in the same order, within the last second.
        var picks = Enumerable.Range(0, Batch).Select(_ => (Shopper: random.Next(Shoppers), Ms: random.Next(1_000), Rssi: random.Next(-90, -50))).ToArray();
        _staticBody = Body(heardStatic, picks);
        _rotatingBody = Body(heardRotating, picks);

        // The first batches fill the static cache and build the rotation tables; every sighting must resolve.
        foreach (var (store, body) in new[] { ("static", _staticBody), ("rotating", _rotatingBody) })
        {
            using var json = JsonDocument.Parse(body);
            var batch = await _ingestor.ReadAsync(store, GatewayId, null, json.RootElement);
            var resolved = batch.Shoppers.Sum(s => s.Sightings.Length);
            if (resolved != Batch || batch.Dropped != 0)
            {
                throw new InvalidOperationException($"Store '{store}': {resolved} of {Batch} sightings resolved, {batch.Dropped} dropped.");
            }
        }
    }

    /// <summary>Makes the store and enrols its shoppers as the API does; returns the identity each phone advertises now.</summary>
    private async Task<BeaconAdvertisement[]> EnrolAsync(IGrainFactory grains, RotatingIdentities rotating, string storeId, bool rotatingStore, Random random)
    {
        var store = grains.GetGrain<IStoreGrain>(storeId);
        var layout = new StoreLayout(storeId, "UTC", [new ZoneDefinition("dairy", "Dairy", "aisle", null, [])], Identity: rotatingStore ? StoreIdentity.Rotating : null);
        await store.PutLayout(layout);
        await store.RegisterGateway(new GatewayDefinition(GatewayId, "dairy", 0));
        var snapshot = (await store.GetSnapshot())!;
        var heard = new BeaconAdvertisement[Shoppers];
        var secrets = new byte[Shoppers][];
        for (var i = 0; i < Shoppers; i++)
        {
            secrets[i] = new byte[RotatingIdentity.SecretBytes];
            random.NextBytes(secrets[i]);
        }

        await Parallel.ForAsync(0, Shoppers, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var shopperId = $"shp-{storeId}-{i}";
            BeaconAdvertisement advertisement;
            if (rotatingStore)
            {
                var identity = RotatingIdentity.Derive(secrets[i], snapshot.BeaconUuid, RotatingIdentity.PeriodOf(Now, layout.RotationPeriod));
                advertisement = new BeaconAdvertisement(snapshot.BeaconUuid, identity.Major, identity.Minor);
            }
            else
            {
                advertisement = (await store.AllocateAdvertisement())!;
            }

            var profile = new ShopperProfile(shopperId, storeId, new Consent(true, true), null, advertisement, Now, null, rotatingStore);
            await grains.GetGrain<IShopperGrain>(shopperId).Enrol(profile, AccessKeys.Hash(AccessKeys.New("sh")));
            if (rotatingStore)
            {
                await rotating.EnrolAsync(storeId, snapshot.BeaconUuid, layout.RotationPeriod, shopperId, secrets[i]);
            }

            heard[i] = advertisement;
        });
        return heard;
    }

    private static byte[] Body(BeaconAdvertisement[] heard, (int Shopper, int Ms, int Rssi)[] picks)
    {
        var json = new StringBuilder("{\"gatewayId\":\"").Append(GatewayId).Append("\",\"sightings\":[");
        for (var i = 0; i < picks.Length; i++)
        {
            var (shopper, ms, rssi) = picks[i];
            var a = heard[shopper];
            json.Append(i == 0 ? "" : ",")
                .Append("{\"ts\":").Append(Now.AddMilliseconds(-ms).ToUnixTimeMilliseconds())
                .Append(",\"rssi\":").Append(rssi)
                .Append(",\"ibeacon\":{\"uuid\":\"").Append(a.Uuid.ToString("D")).Append("\",\"major\":").Append(a.Major).Append(",\"minor\":").Append(a.Minor).Append("}}");
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    /// <summary>A node clock that does not move: caches and tables stay as warm as between two refreshes.</summary>
    private sealed class StillClock(DateTimeOffset now) : TimeProvider
    {
        private readonly long _timestamp = System.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => _timestamp;
    }

    /// <summary>The ingestion read path issues no coupons; the grains need a pusher all the same.</summary>
    private sealed class NoPushes : ICouponPusher
    {
        public ValueTask PushAsync(string shopperId, BeaconEngine.Contracts.Coupons.Coupon coupon) => ValueTask.CompletedTask;
    }
}

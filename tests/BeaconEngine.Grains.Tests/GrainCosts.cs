using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace BeaconEngine.Grains.Tests;

/// <summary>
/// What the engine's grains cost on the test silo: every call to a grain of the engine (by interface and method)
/// and every durable write (by state name), counted as it happens.
/// </summary>
public sealed class GrainCosts : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Calls => new SortedDictionary<string, int>(_calls, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Writes => new SortedDictionary<string, int>(_writes, StringComparer.Ordinal);

    /// <summary>The size of what was written, by state name, as the silo's serializer writes it.</summary>
    public IReadOnlyDictionary<string, long> BytesWritten => new SortedDictionary<string, long>(_bytes, StringComparer.Ordinal);

    public void Reset()
    {
        _calls.Clear();
        _writes.Clear();
        _bytes.Clear();
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        // The engine's grains only, not the runtime's own (storage, fault injection).
        if (context.InterfaceMethod?.DeclaringType is { Namespace: { } ns } type && ns.StartsWith("BeaconEngine.", StringComparison.Ordinal))
        {
            _calls.AddOrUpdate($"{type.Name}.{context.MethodName}", 1, (_, n) => n + 1);
        }

        await context.Invoke();
    }

    /// <summary>Puts a counting layer over the keyed grain storage <paramref name="name"/> registered so far.</summary>
    public void CountWritesOf(IServiceCollection services, string name)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) => new CountingStorage(
            registered.KeyedImplementationInstance as IGrainStorage
                ?? registered.KeyedImplementationFactory?.Invoke(sp, key) as IGrainStorage
                ?? (IGrainStorage)ActivatorUtilities.CreateInstance(sp, registered.KeyedImplementationType!),
            this,
            sp.GetRequiredService<Serializer>()));
    }

    private void Wrote(string stateName, int bytes)
    {
        _writes.AddOrUpdate(stateName, 1, (_, n) => n + 1);
        _bytes.AddOrUpdate(stateName, bytes, (_, n) => n + bytes);
    }

    private sealed class CountingStorage(IGrainStorage inner, GrainCosts costs, Serializer serializer) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            costs.Wrote(stateName, serializer.SerializeToArray(grainState.State).Length);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

        public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
    }
}

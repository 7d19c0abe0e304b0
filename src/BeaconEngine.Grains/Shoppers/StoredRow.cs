using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>
/// One of the shopper grain's durable rows, read when the activation starts and written with its version (ETag), as
/// Orleans' persistent state does, failures included (logged, and wrapped in an <see cref="OrleansException"/> unless
/// they are one). It is a plain holder: Orleans' bridge adds, per row and activation, its own object, a lock, a
/// lifecycle hook and a migration hook, about 250 bytes each for a shopper's two rows, kept by every live shopper.
/// A shopper grain is never migrated live; one that moves reads its rows again, as any new activation does.
/// </summary>
internal sealed class StoredRow<T> : IGrainState<T>
    where T : new()
{
    /// <summary>The row's content; read by <see cref="ReadAsync"/> before the grain's first call.</summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public T State { get; set; } = default!;

    /// <summary>
    /// The row's version. A decimal number (the embedded store's versions) is kept as a number, not as a string of
    /// about 34 bytes a row; any other ETag is kept as given.
    /// </summary>
    public string? ETag
    {
        get => _version >= 0 ? _version.ToString(CultureInfo.InvariantCulture) : _etag;
        set
        {
            var number = value is { Length: > 0 and < 19 } && (value.Length == 1 || value[0] != '0')
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
            (_version, _etag) = (number, number >= 0 ? null : value);
        }
    }

    private long _version = -1;
    private string? _etag;

    public bool RecordExists { get; set; }

    public async Task ReadAsync(IGrainStorage storage, string name, GrainId grainId, ILogger logger)
    {
        await RunAsync(storage, name, grainId, logger, "ReadStateAsync", () => storage.ReadStateAsync(name, grainId, this));

        // Some stores leave the state alone when there is no row: a new one, as Orleans' own holder starts with.
        State ??= new T();
    }

    public Task WriteAsync(IGrainStorage storage, string name, GrainId grainId, ILogger logger, CancellationToken cancellation = default) =>
        RunAsync(storage, name, grainId, logger, "WriteStateAsync", () => storage.WriteStateAsync(name, grainId, this), cancellation);

    public async Task ClearAsync(IGrainStorage storage, string name, GrainId grainId, ILogger logger)
    {
        await RunAsync(storage, name, grainId, logger, "ClearStateAsync", () => storage.ClearStateAsync(name, grainId, this));
        State = new T();
    }

    private static async Task RunAsync(
        IGrainStorage storage, string name, GrainId grainId, ILogger logger, string operation, Func<Task> run, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        try
        {
            await run();
        }
        catch (Exception ex)
        {
            var provider = storage.GetType().Name;
            logger.LogError(ex, "Error from storage provider {ProviderName}.{StateName} during {Operation} for grain {GrainId}", provider, name, operation, grainId);
            if (ex is OrleansException)
            {
                throw;
            }

            throw new OrleansException($"Error from storage provider {provider}.{name} during {operation} for grain {grainId}{Environment.NewLine} {ex}", ex);
        }
    }
}

using System.Globalization;
using Orleans.Storage;

namespace BeaconEngine.Server.Storage;

/// <summary>
/// Orleans grain storage on <see cref="SqliteStateStore"/>. ETags are the row versions: a write or clear
/// with a stale ETag throws <see cref="InconsistentStateException"/> and changes nothing.
/// </summary>
public sealed class SqliteGrainStorage(SqliteStateStore store, IGrainStorageSerializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var row = await store.ReadAsync(grainId.ToString(), stateName);
        if (row is { } found)
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(found.Data));
            grainState.ETag = Format(found.Version);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var id = grainId.ToString();
        var expected = Parse(grainState.ETag);
        var data = serializer.Serialize(grainState.State).ToArray();
        var version = await store.WriteAsync(id, stateName, expected, data);
        if (version is null)
        {
            throw await ConflictAsync(id, stateName, grainState.ETag);
        }

        grainState.ETag = Format(version.Value);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var id = grainId.ToString();
        var cleared = Parse(grainState.ETag) is { } expected
            ? await store.DeleteAsync(id, stateName, expected)
            : await store.VersionOfAsync(id, stateName) is null; // believed absent: fine only if it still is
        if (!cleared)
        {
            throw await ConflictAsync(id, stateName, grainState.ETag);
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<InconsistentStateException> ConflictAsync(string grainId, string stateName, string? etag)
    {
        var stored = await store.VersionOfAsync(grainId, stateName);
        return new InconsistentStateException(
            $"State '{stateName}' of {grainId} was changed by another writer (stored version {stored?.ToString(CultureInfo.InvariantCulture) ?? "none"}, expected {etag ?? "none"}); nothing was written.",
            stored is null ? string.Empty : Format(stored.Value),
            etag ?? string.Empty);
    }

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long? Parse(string? etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}

using System.Globalization;
using Microsoft.Data.Sqlite;

namespace BeaconEngine.Server.Storage;

/// <summary>
/// Grain state rows in one SQLite file: one row per grain and state name, with an integer version as
/// the ETag. A write names the version it read; if the row moved on since, nothing is written and the
/// caller learns of the conflict. Versions come from one counter kept in the file itself and taken in
/// the same transaction as the write, so it only ever grows, also across deletes, restarts and other
/// processes writing the same file: a version is never handed out twice, and a stale writer (one that
/// holds the ETag of a row deleted since, or that another process has written since) can never match
/// the row as it now is. The file is in WAL
/// mode: readers never block the single writer, and a committed write survives the process being
/// killed. Deleted state is overwritten, not just unlinked.
///
/// Checkpoints (copying the write-ahead log into the database file, with its fsync) are not left to
/// whichever commit crosses SQLite's threshold, which would hold every write behind it: a background
/// loop copies the log beside the writer, and once the log is long it copies the last few frames with
/// the writer held, so the next write starts the log again from its beginning and it stays bounded.
/// </summary>
public sealed partial class SqliteStateStore : IDisposable
{
    // Frames (pages) the log may hold before it is started again: SQLite's own automatic threshold.
    private const int RestartFrames = 1000;
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromMilliseconds(250);

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _checkpointer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // One checkpoint at a time (SQLite answers a second one "busy" without doing it). Taken after the
    // write lock by whoever holds both.
    private readonly SemaphoreSlim _checkpointLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _checkpoints;
    private readonly ILogger? _logger;

    // A delete whose log could not be truncated yet (readers held it): the loop truncates it next.
    private volatile bool _erasurePending;

    public SqliteStateStore(string databasePath, ILogger<SqliteStateStore>? logger = null)
    {
        _logger = logger;
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA secure_delete = ON;
            PRAGMA wal_autocheckpoint = 0;
            PRAGMA journal_size_limit = 16777216;
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_id   TEXT    NOT NULL,
                state_name TEXT    NOT NULL,
                version    INTEGER NOT NULL,
                data       BLOB    NOT NULL,
                updated_at TEXT    NOT NULL,
                PRIMARY KEY (grain_id, state_name)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS version_counter (
                id   INTEGER PRIMARY KEY CHECK (id = 1),
                last INTEGER NOT NULL
            );
            INSERT OR IGNORE INTO version_counter (id, last) VALUES (1, 0);
            """);

        // Files from before the counter was taken on every write: it must cover every live row.
        Execute(_writer, "UPDATE version_counter SET last = max(last, coalesce((SELECT max(version) FROM grain_state), 0)) WHERE id = 1;");

        _checkpointer = new SqliteConnection(_connectionString);
        _checkpointer.Open();
        _checkpoints = Task.Run(() => CheckpointLoopAsync(_stop.Token));
    }

    public string DatabasePath { get; }

    /// <summary>The stored bytes and version, or null if there is no row.</summary>
    public async Task<(byte[] Data, long Version)?> ReadAsync(string grainId, string stateName)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, version FROM grain_state WHERE grain_id = $g AND state_name = $s";
        command.Parameters.AddWithValue("$g", grainId);
        command.Parameters.AddWithValue("$s", stateName);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return ((byte[])reader.GetValue(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Writes if the row is still at <paramref name="expectedVersion"/> (null: the row must not exist).
    /// Returns the new version, or null on a conflict.
    /// </summary>
    public async Task<long?> WriteAsync(string grainId, string stateName, long? expectedVersion, byte[] data)
    {
        await _writeLock.WaitAsync();
        try
        {
            // BEGIN IMMEDIATE: the file's write lock is held from the counter to the row, so writers in
            // other processes take their versions strictly before or after this one.
            using var transaction = _writer.BeginTransaction();
            long next;
            using (var take = _writer.CreateCommand())
            {
                take.Transaction = transaction;
                take.CommandText = "UPDATE version_counter SET last = last + 1 WHERE id = 1 RETURNING last";
                next = (long)take.ExecuteScalar()!;
            }

            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$g", grainId);
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$d", data);
            command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$n", next);
            if (expectedVersion is null)
            {
                command.CommandText = """
                    INSERT INTO grain_state (grain_id, state_name, version, data, updated_at)
                    VALUES ($g, $s, $n, $d, $t)
                    ON CONFLICT (grain_id, state_name) DO NOTHING
                    """;
            }
            else
            {
                command.CommandText = """
                    UPDATE grain_state SET version = $n, data = $d, updated_at = $t
                    WHERE grain_id = $g AND state_name = $s AND version = $v
                    """;
                command.Parameters.AddWithValue("$v", expectedVersion.Value);
            }

            if (command.ExecuteNonQuery() != 1)
            {
                transaction.Rollback();
                return null;
            }

            transaction.Commit();
            return next;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Deletes the row if it is at <paramref name="expectedVersion"/>; false on a conflict.</summary>
    public async Task<bool> DeleteAsync(string grainId, string stateName, long expectedVersion)
    {
        await _writeLock.WaitAsync();
        try
        {
            // The counter already covers the deleted row's version, so it is never handed out again.
            using var command = _writer.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE grain_id = $g AND state_name = $s AND version = $v";
            command.Parameters.AddWithValue("$g", grainId);
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$v", expectedVersion);
            if (command.ExecuteNonQuery() != 1)
            {
                return false;
            }

            // Deletes are erasures: secure_delete zeroes the freed content, and the checkpoint moves it out
            // of the write-ahead log, so nothing of the deleted state stays readable in the files.
            await _checkpointLock.WaitAsync();
            try
            {
                var busy = Checkpoint(_writer, "TRUNCATE").Busy;
                for (var attempt = 1; busy && attempt < 100; attempt++)
                {
                    // A reader still uses the log: let it finish.
                    await Task.Delay(10);
                    busy = Checkpoint(_writer, "TRUNCATE").Busy;
                }

                // Readers held the log past the retries (a loaded machine): the background loop finishes the
                // erasure as soon as they let go, rather than leaving old frames until the log next restarts.
                _erasurePending = busy;
                if (busy && _logger is not null)
                {
                    LogErasureDeferred(_logger, DatabasePath);
                }
            }
            finally
            {
                _checkpointLock.Release();
            }

            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The current version of a row, for conflict reports; null if there is none.</summary>
    public async Task<long?> VersionOfAsync(string grainId, string stateName)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM grain_state WHERE grain_id = $g AND state_name = $s";
        command.Parameters.AddWithValue("$g", grainId);
        command.Parameters.AddWithValue("$s", stateName);
        return await command.ExecuteScalarAsync() is long version ? version : null;
    }

    /// <summary>
    /// The <paramref name="stateName"/> rows written within <paramref name="window"/> of the file's last write of that
    /// state, newest first, <paramref name="max"/> at most: the grains that were active when the process stopped.
    /// </summary>
    public async Task<IReadOnlyList<(string GrainId, byte[] Data)>> WrittenLastAsync(string stateName, TimeSpan window, int max)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var last = connection.CreateCommand();
        last.CommandText = "SELECT max(updated_at) FROM grain_state WHERE state_name = $s";
        last.Parameters.AddWithValue("$s", stateName);
        if (await last.ExecuteScalarAsync() is not string newest)
        {
            return [];
        }

        // Every row's updated_at is the UTC round-trip format, so its text orders as its time.
        var since = DateTimeOffset.Parse(newest, CultureInfo.InvariantCulture).Subtract(window).ToString("O", CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_id, data FROM grain_state WHERE state_name = $s AND updated_at >= $since ORDER BY updated_at DESC LIMIT $max";
        command.Parameters.AddWithValue("$s", stateName);
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$max", max);
        var rows = new List<(string, byte[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _checkpoints.Wait();
        }
        catch (AggregateException)
        {
            // Cancelled.
        }

        _stop.Dispose();
        _checkpointer.Dispose();
        _writer.Dispose();
        _writeLock.Dispose();
        _checkpointLock.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    /// <summary>Runs a checkpoint: whether it could not be done in full, and the log's length in frames.</summary>
    private static (bool Busy, long Frames) Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0) != 0, reader.GetInt64(1)) : (false, 0);
    }

    private async Task CheckpointLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(CheckpointEvery);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            try
            {
                // Beside the writer: copies what the log holds now, and syncs the database file.
                long frames;
                await _checkpointLock.WaitAsync(stop).ConfigureAwait(false);
                try
                {
                    frames = Checkpoint(_checkpointer, "PASSIVE").Frames;
                }
                finally
                {
                    _checkpointLock.Release();
                }

                if (_erasurePending)
                {
                    await FinishErasureAsync(stop).ConfigureAwait(false);
                    continue;
                }

                if (frames < RestartFrames)
                {
                    continue;
                }

                // Long enough: the few frames written meanwhile are copied with the writer held, so the
                // whole log is in the database file and the next write starts it again.
                await _writeLock.WaitAsync(stop).ConfigureAwait(false);
                try
                {
                    await _checkpointLock.WaitAsync(stop).ConfigureAwait(false);
                    try
                    {
                        Checkpoint(_writer, "PASSIVE");
                    }
                    finally
                    {
                        _checkpointLock.Release();
                    }
                }
                finally
                {
                    _writeLock.Release();
                }
            }
            catch (SqliteException ex)
            {
                if (_logger is not null)
                {
                    LogCheckpointFailed(_logger, ex, DatabasePath);
                }
            }
        }
    }

    /// <summary>Copies the whole log into the file and empties it, so deleted state is left in neither.</summary>
    private async Task FinishErasureAsync(CancellationToken stop)
    {
        await _writeLock.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            await _checkpointLock.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                _erasurePending = Checkpoint(_writer, "TRUNCATE").Busy;
            }
            finally
            {
                _checkpointLock.Release();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasure in {DatabasePath} waits for readers to leave the write-ahead log; it completes in the background")]
    private static partial void LogErasureDeferred(ILogger logger, string databasePath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of {DatabasePath} failed; trying again shortly")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex, string databasePath);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;

namespace BeaconEngine.Server.Storage;

/// <summary>
/// Grain state rows in one SQLite file: one row per grain and state name, with an integer version as
/// the ETag. A write names the version it read; if the row moved on since, nothing is written and the
/// caller learns of the conflict. The file is in WAL mode: readers never block the single writer, and
/// a committed write survives the process being killed. Deleted state is overwritten, not just unlinked.
/// </summary>
public sealed class SqliteStateStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteStateStore(string databasePath)
    {
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
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_id   TEXT    NOT NULL,
                state_name TEXT    NOT NULL,
                version    INTEGER NOT NULL,
                data       BLOB    NOT NULL,
                updated_at TEXT    NOT NULL,
                PRIMARY KEY (grain_id, state_name)
            ) WITHOUT ROWID;
            """);
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
            using var command = _writer.CreateCommand();
            command.Parameters.AddWithValue("$g", grainId);
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$d", data);
            command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            if (expectedVersion is null)
            {
                command.CommandText = """
                    INSERT INTO grain_state (grain_id, state_name, version, data, updated_at)
                    VALUES ($g, $s, 1, $d, $t)
                    ON CONFLICT (grain_id, state_name) DO NOTHING
                    """;
                return command.ExecuteNonQuery() == 1 ? 1 : null;
            }

            command.CommandText = """
                UPDATE grain_state SET version = version + 1, data = $d, updated_at = $t
                WHERE grain_id = $g AND state_name = $s AND version = $v
                """;
            command.Parameters.AddWithValue("$v", expectedVersion.Value);
            return command.ExecuteNonQuery() == 1 ? expectedVersion.Value + 1 : null;
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
            Execute(_writer, "PRAGMA wal_checkpoint(TRUNCATE);");
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

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

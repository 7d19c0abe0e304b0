using System.Diagnostics;
using System.Globalization;
using System.Text;
using BeaconEngine.Testing;
using Npgsql;

namespace BeaconEngine.Cluster.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL of the test's own: <c>initdb</c> in a temporary folder, the postmaster on a free loopback
/// port, no Unix socket. PostgreSQL refuses to run as root, so when the test runs as root (CI does) both run as
/// the <c>postgres</c> user the Debian package creates, through <c>setpriv</c>, which execs: the process the test
/// holds is the postmaster itself, and <see cref="Kill"/> is a SIGKILL of it and its backends.
/// Durability settings are PostgreSQL's defaults (fsync, synchronous_commit on).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";

    private readonly string _folder;
    private readonly string _binaries;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private PostgresServer(string folder, string binaries, int port)
    {
        _folder = folder;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The database the nodes use; empty until the first node creates its schema.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=beaconengine;Pooling=true;Timeout=5;Command Timeout=15";

    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = Path.GetDirectoryName(Prerequisite.Executable("postgresql", Candidates("initdb"), "BEACONENGINE_INITDB"))!;
        var folder = Path.Combine(Path.GetTempPath(), $"beaconengine-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var server = new PostgresServer(folder, binaries, FreePort.Next());
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync("chown", [ServiceUser, folder]);
            }

            await RunAsync(server.Command("initdb"), ["-D", server.DataPath, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asService: true);
            await server.StartPostmasterAsync();
            await using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Username=postgres;Database=postgres"))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE beaconengine", admin);
                await create.ExecuteNonQueryAsync();
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private string DataPath => Path.Combine(_folder, "data");

    /// <summary>SIGKILL of the postmaster and every backend: no checkpoint, no goodbye to clients.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts it again on the same folder and port; PostgreSQL replays its WAL first.</summary>
    public Task RestartAsync() => StartPostmasterAsync();

    public string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }

        await Task.CompletedTask;
    }

    private async Task StartPostmasterAsync()
    {
        var (file, args) = AsService(Command("postgres"),
        [
            "-D", DataPath,
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=200",
        ]);
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process?.Dispose();
        _process = process;

        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=2");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException($"PostgreSQL did not start on port {Port}:\n{Log()}", ex);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string Command(string name) => Path.Combine(_binaries, name);

    /// <summary>As root, the same command as the postgres user (setpriv execs it: no process in between).</summary>
    private static (string File, string[] Args) AsService(string file, string[] args) =>
        Environment.IsPrivilegedProcess
            ? ("setpriv", ["--reuid", ServiceUser, "--regid", ServiceUser, "--init-groups", "--", file, .. args])
            : (file, args);

    private static async Task RunAsync(string file, string[] args, bool asService = false)
    {
        var (command, arguments) = asService ? AsService(file, args) : (file, args);
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    /// <summary>Debian's versioned folders (newest first), then the usual places on PATH.</summary>
    private static string[] Candidates(string name)
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin", name))
            : [];
        return [.. debian, $"/usr/local/bin/{name}", $"/usr/bin/{name}"];
    }
}

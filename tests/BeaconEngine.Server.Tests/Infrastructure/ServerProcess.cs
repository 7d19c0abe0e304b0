using System.Diagnostics;
using System.Globalization;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// The built server as its own operating-system process (<c>dotnet BeaconEngine.Server.dll</c>) on a free
/// loopback port and a given data folder, so a test can kill it outright (SIGKILL) and start it again.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The server's process id (to read its memory from /proc).</summary>
    public int Id => _process.Id;

    /// <summary>The server's resident memory now, from /proc/&lt;pid&gt;/status (Linux).</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server wrote, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    public static Task<ServerProcess> StartAsync(string dataPath, params string[] extraArgs) =>
        StartAsync(AppContext.BaseDirectory, dataPath, ["--Logging:LogLevel:Default", "Warning", .. extraArgs]);

    /// <summary>The server started from <paramref name="workingDirectory"/> with only these arguments besides its port, data folder and keys.</summary>
    public static async Task<ServerProcess> StartAsync(string workingDirectory, string dataPath, string[] extraArgs)
    {
        var port = EngineHost.FreeTcpPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "BeaconEngine.Server.dll"),
            "--urls", baseAddress.ToString().TrimEnd('/'),
            "--BeaconEngine:DataPath", dataPath,
            "--BeaconEngine:AdminKey", EngineHost.AdminKey,
            // No global control group unless a test asks for one, so a test knows who gets a coupon.
            "--BeaconEngine:Engine:GlobalControlShare", "0",
            "--BeaconEngine:SiloPort", EngineHost.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            .. extraArgs,
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{server.Output}");
            }

            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        server.Dispose();
        throw new TimeoutException($"The server did not answer /health within a minute:\n{server.Output}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 400)
            {
                _output.RemoveRange(0, 200);
            }
        }
    }
}

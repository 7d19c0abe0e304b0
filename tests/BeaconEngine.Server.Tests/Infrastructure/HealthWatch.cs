using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// Polls a server's <c>/health</c> every few milliseconds over one kept-alive connection from its own
/// loopback address (127.0.0.2), so a flood from 127.0.0.1 neither shares its per-address count nor takes
/// its connection slot; records every answer's time and, for a server process, its resident memory.
/// </summary>
public sealed class HealthWatch : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly ServerProcess? _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly Task _loop;

    private HealthWatch(Uri baseAddress, ServerProcess? process)
    {
        _process = process;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, token) => ConnectFromAsync(IPAddress.Parse("127.0.0.2"), context.DnsEndPoint.Port, token),
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _loop = Task.Run(LoopAsync);
    }

    public int Polls { get; private set; }

    public TimeSpan Slowest { get; private set; }

    /// <summary>The number of the slowest poll (for a failing test's message).</summary>
    public int SlowestAt { get; private set; }

    public long PeakResidentBytes { get; private set; }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Starts watching once the first poll (which opens the connection) has answered.</summary>
    public static async Task<HealthWatch> StartAsync(Uri baseAddress, ServerProcess? process = null)
    {
        var watch = new HealthWatch(baseAddress, process);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (watch.Polls == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return watch;
    }

    /// <summary>A TCP connection to loopback from a chosen local address (any of 127.0.0.0/8 on Linux).</summary>
    public static async ValueTask<Stream> ConnectFromAsync(IPAddress local, int port, CancellationToken token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await _client.GetAsync("/health", _stop.Token);
                clock.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    Fail($"/health answered {(int)response.StatusCode}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Fail($"/health failed: {e.Message}");
            }

            // The first poll opens the connection and warms the route up; the watch starts after it.
            if (Polls > 0 && clock.Elapsed > Slowest)
            {
                Slowest = clock.Elapsed;
                SlowestAt = Polls;
            }

            Polls++;
            if (_process is { HasExited: false })
            {
                PeakResidentBytes = Math.Max(PeakResidentBytes, _process.ResidentBytes());
            }

            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Fail(string failure)
    {
        lock (_failures)
        {
            _failures.Add(failure);
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BeaconEngine.Simulator;

/// <summary>
/// The store's gateways: each collects what it hears and sends it as one JSON batch per interval, the
/// gateways spread over the interval as real ones are. Remembers, per shopper, when the last few batches
/// that carried them were sent (on this process's clock, and on the machine's wall clock to compare with
/// the server's), and per gateway when its latest batch was sent.
/// </summary>
public sealed class GatewayUplinks : IDisposable
{
    private const int MaxItems = 5_000;
    private const int SendsKept = 4;
    private readonly StoreLayout _layout;
    private readonly SimStore _store;
    private readonly List<Advertisement>[] _buffers;
    private readonly Lock[] _locks;
    private readonly long[] _shopperSentAt;
    private readonly long[] _shopperSentWall;
    private readonly int[] _shopperSends;
    private readonly Lock[] _shopperLocks = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];
    private readonly long[] _gatewaySentAt;
    private readonly Dictionary<string, int> _gatewayIndex;
    private readonly HttpClient _http;
    private readonly long _epochUnixMs;
    private readonly LatencyRecorder _batchLatency = new();
    private long _sent;
    private long _accepted;
    private long _rejected;
    private long _dropped;
    private long _errors;

    public GatewayUplinks(Uri url, StoreLayout layout, SimStore store, int shoppers, long epochUnixMs, TimeSpan interval)
    {
        Interval = interval;
        _layout = layout;
        _store = store;
        _epochUnixMs = epochUnixMs;
        _buffers = [.. layout.Gateways.Select(_ => new List<Advertisement>())];
        _locks = [.. layout.Gateways.Select(_ => new Lock())];
        _shopperSentAt = new long[shoppers * SendsKept];
        _shopperSentWall = new long[shoppers * SendsKept];
        _shopperSends = new int[shoppers];
        _gatewaySentAt = new long[layout.Gateways.Count];
        _gatewayIndex = layout.Gateways.Select((g, i) => (g.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>How often each gateway sends.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The route batches go to: the engine's, or the bare-transport floor's.</summary>
    public string Route { get; set; } = "/api/v1/sightings";

    public long Sent => Interlocked.Read(ref _sent);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Round trips of batches: send to the server's answer.</summary>
    public LatencyRecorder BatchLatency => _batchLatency;

    /// <summary>
    /// The send (this process's clock) of the last batch carrying the shopper that went out before
    /// <paramref name="issuedBeforeUtc"/>, since a later one cannot have caused what was issued then; and
    /// the earliest send of such a batch within <paramref name="window"/> before that one, which may have
    /// caused it instead (equal when there is none). Zero when no batch went out before.
    /// </summary>
    public (long Last, long Earliest) ShopperSentBefore(int shopper, DateTime issuedBeforeUtc, TimeSpan window)
    {
        long last = 0, lastWall = 0;
        Span<(long At, long Wall)> sends = stackalloc (long, long)[SendsKept];
        lock (_shopperLocks[shopper % _shopperLocks.Length])
        {
            for (var i = 0; i < SendsKept; i++)
            {
                sends[i] = (_shopperSentAt[(shopper * SendsKept) + i], _shopperSentWall[(shopper * SendsKept) + i]);
            }
        }

        foreach (var (at, wall) in sends)
        {
            if (at != 0 && wall < issuedBeforeUtc.Ticks && at > last)
            {
                (last, lastWall) = (at, wall);
            }
        }

        var earliest = last;
        foreach (var (at, wall) in sends)
        {
            if (at != 0 && at < earliest && wall < lastWall && Stopwatch.GetElapsedTime(at, last) <= window)
            {
                earliest = at;
            }
        }

        return (last, earliest);
    }

    private void RecordSend(int shopper, long sentAt, long sentWall)
    {
        lock (_shopperLocks[shopper % _shopperLocks.Length])
        {
            var next = _shopperSends[shopper];
            var previous = (shopper * SendsKept) + ((next + SendsKept - 1) % SendsKept);
            if (_shopperSentAt[previous] == sentAt)
            {
                return; // Several advertisements of the shopper in one batch.
            }

            _shopperSentAt[(shopper * SendsKept) + next] = sentAt;
            _shopperSentWall[(shopper * SendsKept) + next] = sentWall;
            _shopperSends[shopper] = (next + 1) % SendsKept;
        }
    }

    public long GatewaySentAt(string gatewayId) => _gatewayIndex.TryGetValue(gatewayId, out var g) ? Volatile.Read(ref _gatewaySentAt[g]) : 0;

    public void Hear(int gateway, Advertisement advertisement)
    {
        lock (_locks[gateway])
        {
            _buffers[gateway].Add(advertisement);
        }
    }

    /// <summary>Each gateway sends a batch every <see cref="Interval"/>, offset by its share of it, until cancelled.</summary>
    public Task RunAsync(CancellationToken cancel) =>
        Task.WhenAll(_layout.Gateways.Select((_, g) => RunGatewayAsync(g, Interval, Interval * g / _layout.Gateways.Count, cancel)));

    public void Dispose() => _http.Dispose();

    private async Task RunGatewayAsync(int gateway, TimeSpan interval, TimeSpan offset, CancellationToken cancel)
    {
        var start = Stopwatch.GetTimestamp();
        var tick = 0L;
        var pending = new List<Task>();
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                tick++;
                var due = offset + (interval * tick) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancel);
                }

                List<Advertisement> batch;
                lock (_locks[gateway])
                {
                    batch = _buffers[gateway];
                    _buffers[gateway] = new List<Advertisement>(batch.Count);
                }

                for (var i = 0; i < batch.Count; i += MaxItems)
                {
                    pending.Add(PostAsync(gateway, batch.GetRange(i, Math.Min(MaxItems, batch.Count - i))));
                }

                pending.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(pending);
    }

    private async Task PostAsync(int gateway, List<Advertisement> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        var id = _layout.Gateways[gateway].Id;
        var body = new ArrayBufferWriter<byte>(items.Count * 120);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("gatewayId", id);
            json.WriteStartArray("sightings");
            foreach (var item in items)
            {
                json.WriteStartObject();
                var ts = _epochUnixMs + (long)(item.At * 1000);
                var (major, minor) = _store.Phones?.At(item.Shopper.Index, ts) ?? (item.Shopper.Major, item.Shopper.Minor);
                json.WriteNumber("ts", ts);
                json.WriteNumber("rssi", item.Rssi);
                json.WriteStartObject("ibeacon");
                json.WriteString("uuid", item.Shopper.Uuid);
                json.WriteNumber("major", major);
                json.WriteNumber("minor", minor);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _store.GatewayKeys[id]);
        var sentWall = DateTime.UtcNow.Ticks;
        var sentAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _gatewaySentAt[gateway], sentAt);
        foreach (var item in items)
        {
            RecordSend(item.Shopper.Index, sentAt, sentWall);
        }

        Interlocked.Add(ref _sent, items.Count);
        try
        {
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsByteArrayAsync();
            _batchLatency.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _errors);
                return;
            }

            using var result = JsonDocument.Parse(text);
            Interlocked.Add(ref _accepted, result.RootElement.TryGetProperty("accepted", out var accepted) ? accepted.GetInt32() : 0);
            Interlocked.Add(ref _dropped, result.RootElement.TryGetProperty("dropped", out var dropped) ? dropped.GetInt32() : 0);
            Interlocked.Add(ref _rejected, result.RootElement.TryGetProperty("rejected", out var rejected) ? rejected.GetArrayLength() : 0);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            Interlocked.Increment(ref _errors);
        }
    }
}

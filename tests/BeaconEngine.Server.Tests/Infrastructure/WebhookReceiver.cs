using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// A real HTTP endpoint on a loopback port that records every request it gets and answers with the status the
/// test sets (200 while up, 503 while down), as a store's own systems would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(int port)
    {
        Url = $"http://127.0.0.1:{port}/hooks/events";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/hooks/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>The status the next requests get.</summary>
    public int Answer { get; set; } = 200;

    public ConcurrentQueue<Delivery> Received { get; } = new();

    public static WebhookReceiver Start() => new(EngineHost.FreeTcpPort());

    /// <summary>The next request to arrive (past those already taken by earlier calls).</summary>
    public async Task<Delivery> NextAsync(TimeSpan? within = null)
    {
        if (!await _arrived.WaitAsync(within ?? TimeSpan.FromSeconds(20)))
        {
            Assert.Fail($"No webhook request arrived; {Received.Count} so far.");
        }

        lock (_taken)
        {
            return _taken.Dequeue();
        }
    }

    private readonly Queue<Delivery> _taken = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var status = Answer;
            var delivery = new Delivery(
                context.Request.Headers["X-BeaconEngine-Signature"] ?? "",
                context.Request.Headers["X-BeaconEngine-Offsets"] ?? "",
                await reader.ReadToEndAsync(),
                status);
            context.Response.StatusCode = status;
            context.Response.Close();
            Received.Enqueue(delivery);
            lock (_taken)
            {
                _taken.Enqueue(delivery);
            }

            _arrived.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
        _arrived.Dispose();
    }

    public sealed record Delivery(string Signature, string Offsets, string Body, int Status);
}

using System.Diagnostics;
using System.Globalization;
using MessagePack;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BeaconEngine.Simulator;

/// <summary>
/// Every shopper's app: a real SignalR client over WebSockets and MessagePack that acks each coupon.
/// A coupon's latency runs from the send of the last gateway batch carrying its shopper that went out
/// before the server issued it (its <c>issuedAt</c>, on this machine's wall clock, which the server
/// shares) to its arrival here. When another batch of the shopper went out shortly before that one, either
/// may have caused the coupon: those coupons are also timed from the earlier batch, as a bound
/// (<see cref="EngineLatencyBound"/>). A bare-transport message is timed from the send of its gateway's
/// latest batch (the floor names its gateway in <c>zoneId</c>).
/// </summary>
public sealed class ShopperApps(Uri url, GatewayUplinksRef uplinks) : IAsyncDisposable
{
    private const string BaselinePrefix = "baseline-";

    // How far back an earlier batch of the same shopper counts as a possible cause.
    private static readonly TimeSpan AmbiguityWindow = TimeSpan.FromMilliseconds(20);
    private readonly List<HubConnection> _connections = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, HubConnection> _byShopper = new();
    private long _coupons;
    private long _ambiguous;
    private long _baselineMessages;
    private System.Collections.Concurrent.ConcurrentQueue<(SimShopper Shopper, string? ZoneId, double At)> _issued = new();

    /// <summary>The world clock's origin (Unix ms): a coupon's issue time on the walk's clock, to judge it against the truth.</summary>
    public long EpochMs { get; set; }

    public LatencyRecorder EngineLatency { get; } = new();

    /// <summary>The engine's latencies with every ambiguous coupon timed from the earlier batch.</summary>
    public LatencyRecorder EngineLatencyBound { get; } = new();

    /// <summary>Coupons another batch of the shopper, sent shortly before, may have caused.</summary>
    public long Ambiguous => Interlocked.Read(ref _ambiguous);

    public LatencyRecorder BaselineLatency { get; } = new();

    /// <summary>The shopper's hub connection (its phone reports ranged beacons over it), or null before it connected.</summary>
    public HubConnection? ConnectionOf(int shopper) => _byShopper.TryGetValue(shopper, out var connection) ? connection : null;

    public long Coupons => Interlocked.Read(ref _coupons);

    public long BaselineMessages => Interlocked.Read(ref _baselineMessages);

    /// <summary>Forgets what a warm-up counted: the engine's coupons and latencies, or the floor's.</summary>
    public void Reset(bool floor)
    {
        if (floor)
        {
            BaselineLatency.Clear();
            Interlocked.Exchange(ref _baselineMessages, 0);
        }
        else
        {
            EngineLatency.Clear();
            EngineLatencyBound.Clear();
            _issued = new();
            Interlocked.Exchange(ref _coupons, 0);
            Interlocked.Exchange(ref _ambiguous, 0);
        }
    }

    public async Task ConnectAsync(SimShopper shopper, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(url, "/hubs/shopper"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddMessagePackProtocol()
            .Build();
        connection.On<SimCoupon>("coupon", coupon =>
        {
            var now = Stopwatch.GetTimestamp();
            if (coupon.CouponId?.StartsWith(BaselinePrefix, StringComparison.Ordinal) == true)
            {
                if (uplinks.Current?.GatewaySentAt(coupon.ZoneId ?? "") is > 0 and var sentAt)
                {
                    BaselineLatency.Add(Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds);
                }

                Interlocked.Increment(ref _baselineMessages);
                return;
            }

            // issuedAt is whole milliseconds, cut: the issue happened before the next one.
            if (DateTime.TryParse(coupon.IssuedAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var issuedAt)
                && uplinks.SentBefore(shopper.Index, issuedAt.AddMilliseconds(1), AmbiguityWindow) is ( > 0, var earliest) sent)
            {
                EngineLatency.Add(Stopwatch.GetElapsedTime(sent.Last, now).TotalMilliseconds);
                EngineLatencyBound.Add(Stopwatch.GetElapsedTime(earliest, now).TotalMilliseconds);
                if (earliest != sent.Last)
                {
                    Interlocked.Increment(ref _ambiguous);
                }
            }

            if (EpochMs > 0 && DateTimeOffset.TryParse(coupon.IssuedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issued))
            {
                _issued.Enqueue((shopper, coupon.ZoneId, (issued.ToUnixTimeMilliseconds() - EpochMs) / 1000.0));
            }

            Interlocked.Increment(ref _coupons);
            _ = connection.SendAsync("Ack", coupon.CouponId);
        });
        await connection.StartAsync();
        _byShopper[shopper.Index] = connection;
        lock (_connections)
        {
            _connections.Add(connection);
        }
    }

    /// <summary>
    /// Coupon precision: of the coupons issued, the share issued while the shopper truly was in the offer's
    /// zone. Read once the walk has stopped (the truth is written by the walk).
    /// </summary>
    public CouponPrecision Precision()
    {
        long right = 0, judged = 0;
        foreach (var (shopper, zoneId, at) in _issued)
        {
            judged++;
            if (zoneId is not null && shopper.ZoneAt(at) == zoneId)
            {
                right++;
            }
        }

        return new CouponPrecision(judged == 0 ? 0 : Math.Round((double)right / judged, 4), right, judged);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}

/// <summary>Of <see cref="Judged"/> coupons, <see cref="InZone"/> were issued while the shopper was in the offer's zone.</summary>
public sealed record CouponPrecision(double Share, long InZone, long Judged);

/// <summary>The uplinks of the phase running now (engine or floor), and the phones' reports, for the apps to time against.</summary>
public sealed class GatewayUplinksRef
{
    public GatewayUplinks? Current { get; set; }

    public PhoneReports? Phones { get; set; }

    /// <summary>The later of the shopper's last gateway batch and last phone report sent before the issue: the one that caused it.</summary>
    public (long Last, long Earliest) SentBefore(int shopper, DateTime issuedBeforeUtc, TimeSpan window)
    {
        var gateway = Current?.ShopperSentBefore(shopper, issuedBeforeUtc, window) ?? (0, 0);
        var phone = Phones?.ShopperSentBefore(shopper, issuedBeforeUtc, window) ?? (0, 0);
        return phone.Last > gateway.Last ? phone : gateway;
    }
}

/// <summary>The hub's coupon as a client declares it from the contract.</summary>
[MessagePackObject]
public sealed class SimCoupon
{
    [Key("couponId")] public string? CouponId { get; set; }

    [Key("offerId")] public string? OfferId { get; set; }

    [Key("brandId")] public string? BrandId { get; set; }

    [Key("title")] public string? Title { get; set; }

    [Key("description")] public string? Description { get; set; }

    [Key("discount")] public Dictionary<string, object>? Discount { get; set; }

    [Key("zoneId")] public string? ZoneId { get; set; }

    [Key("code")] public string? Code { get; set; }

    [Key("issuedAt")] public string? IssuedAt { get; set; }

    [Key("expiresAt")] public string? ExpiresAt { get; set; }
}

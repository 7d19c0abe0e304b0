using BeaconEngine.Contracts.Cluster;
using BeaconEngine.Grains.Cluster;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Cluster;

/// <summary>
/// The other server nodes of the cluster, as this node knows them. On start (before the silo reports
/// itself started) the node registers its <see cref="INodeListener"/> with <see cref="INodeRegistryGrain"/>,
/// which announces it to the others; it registers again every few seconds, so the registry is rebuilt
/// wherever it reactivates. A node that membership declares dead is forgotten.
/// </summary>
public sealed partial class ClusterNodes : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRegistrationTimeout = TimeSpan.FromSeconds(15);

    private readonly IGrainFactory _grains;
    private readonly IClusterMembershipService _membership;
    private readonly ILocalSiloDetails _local;
    private readonly ILogger<ClusterNodes> _logger;
    private readonly Dictionary<SiloAddress, ServerNode> _known = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();

    // Held here: Orleans keeps only a weak reference to an observer.
    private readonly NodeListener _listener;
    private INodeListener? _reference;
    private Task _loop = Task.CompletedTask;
    private volatile ServerNode[] _others = [];

    public ClusterNodes(
        IGrainFactory grains,
        IClusterMembershipService membership,
        ILocalSiloDetails local,
        IHubContext<ShopperHub> hub,
        StoreDirectory stores,
        CouponRoute route,
        ILogger<ClusterNodes> logger)
    {
        _grains = grains;
        _membership = membership;
        _local = local;
        _logger = logger;
        _listener = new NodeListener(hub, stores, route, this);
    }

    public SiloAddress Self => _local.SiloAddress;

    /// <summary>This node as the others reach it (known once the silo has started).</summary>
    public ServerNode SelfNode => new(Self, _reference ?? throw new InvalidOperationException("The node has not started."));

    /// <summary>Raised when membership declared a known node dead.</summary>
    public event Action? NodeLost;

    /// <summary>The other nodes this one sends to, without those membership has declared dead.</summary>
    public IReadOnlyList<ServerNode> Others
    {
        get
        {
            var others = _others;
            var snapshot = _membership.CurrentSnapshot;
            return Array.FindAll(others, n => snapshot.GetSiloStatus(n.Silo) != SiloStatus.Dead);
        }
    }

    public void Dispose() => _stopping.Dispose();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterNodes), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Takes in a list of nodes from the registry; a partial list never makes a live node forgotten.</summary>
    internal void Merge(IEnumerable<ServerNode> nodes)
    {
        var snapshot = _membership.CurrentSnapshot;
        var lost = false;
        lock (_lock)
        {
            foreach (var node in nodes)
            {
                if (!node.Silo.Equals(Self))
                {
                    _known[node.Silo] = node;
                }
            }

            foreach (var silo in _known.Keys.Where(s => snapshot.GetSiloStatus(s) == SiloStatus.Dead).ToList())
            {
                lost |= _known.Remove(silo);
            }

            _others = [.. _known.Values];
        }

        if (lost)
        {
            NodeLost?.Invoke();
        }
    }

    private async Task StartAsync(CancellationToken cancellation)
    {
        _reference = _grains.CreateObjectReference<INodeListener>(_listener);
        try
        {
            await RegisterAsync().WaitAsync(FirstRegistrationTimeout, cancellation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellation.IsCancellationRequested)
        {
            LogRegistrationFailed(_logger, ex);
        }

        _loop = Task.Run(KeepRegisteredAsync, CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellation)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellation).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_reference is { } reference)
        {
            _grains.DeleteObjectReference<INodeListener>(reference);
        }
    }

    private async Task RegisterAsync()
    {
        var nodes = await _grains.GetGrain<INodeRegistryGrain>(0).Register(new ServerNode(Self, _reference!));
        Merge(nodes);
    }

    private async Task KeepRegisteredAsync()
    {
        using var timer = new PeriodicTimer(RegisterEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await RegisterAsync();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !_stopping.IsCancellationRequested)
                {
                    LogRegistrationFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register this node with the cluster's node registry; retrying")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception ex);
}

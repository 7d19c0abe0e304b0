using BeaconEngine.Contracts.Cluster;
using BeaconEngine.Grains.Cluster;
using BeaconEngine.Grains.Stores;
using BeaconEngine.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace BeaconEngine.Server.Cluster;

/// <summary>
/// The other server nodes of the cluster, as this node knows them. On start (before a silo reports itself
/// started; before a front-end's HTTP listener opens) the node registers its <see cref="INodeListener"/> with
/// <see cref="INodeRegistryGrain"/>, which announces it to the others; it registers again every few seconds, so
/// the registry is rebuilt wherever it reactivates. A silo that membership declares dead is forgotten (a front-end,
/// which cannot read membership, forgets a silo the registry no longer lists); a front-end is known while the
/// registry lists it.
/// </summary>
public sealed partial class ClusterNodes : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(15);

    private readonly IGrainFactory _grains;
    private readonly ILocalNode _local;
    private readonly ILogger<ClusterNodes> _logger;
    private readonly Dictionary<string, ServerNode> _known = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();

    // Held here: Orleans keeps only a weak reference to an observer.
    private readonly NodeListener _listener;
    private INodeListener? _reference;
    private Task _loop = Task.CompletedTask;
    private volatile ServerNode[] _others = [];

    public ClusterNodes(
        IGrainFactory grains,
        ILocalNode local,
        IHubContext<ShopperHub> hub,
        StoreDirectory stores,
        CouponRoute route,
        ILogger<ClusterNodes> logger)
    {
        _grains = grains;
        _local = local;
        _logger = logger;
        _listener = new NodeListener(hub, stores, route, this);
    }

    /// <summary>This node's name (<see cref="ServerNode.Name"/>).</summary>
    public string Self => _local.Name;

    /// <summary>True on a front-end (<c>BeaconEngine:Role=frontend</c>).</summary>
    public bool IsFrontend => _local.Silo is null;

    /// <summary>This node as the others reach it (known once the node has started).</summary>
    public ServerNode SelfNode => new(Self, _local.Silo, _reference ?? throw new InvalidOperationException("The node has not started."));

    /// <summary>Raised when a known silo was declared dead (its presences went with it).</summary>
    public event Action? NodeLost;

    /// <summary>The other nodes this one sends to, without the silos membership has declared dead.</summary>
    public IReadOnlyList<ServerNode> Others => Array.FindAll(_others, n => n.Silo is not { } silo || !_local.IsDeclaredDead(silo));

    public void Dispose() => _stopping.Dispose();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterNodes), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>
    /// Takes in the registry's list of nodes. On a silo a partial list (a registry just reactivated) never makes a
    /// live silo forgotten: membership says which are dead. Front-ends count while the list names them.
    /// </summary>
    internal void Merge(IReadOnlyCollection<ServerNode> nodes)
    {
        var listed = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var lost = false;
        lock (_lock)
        {
            foreach (var node in nodes)
            {
                if (node.Name != Self)
                {
                    _known[node.Name] = node;
                }
            }

            foreach (var (name, node) in _known.ToList())
            {
                var gone = node.Silo is { } silo && _local.SeesMembership ? _local.IsDeclaredDead(silo) : !listed.Contains(name);
                if (gone)
                {
                    _known.Remove(name);
                    lost |= !node.IsFrontend;
                }
            }

            _others = [.. _known.Values];
        }

        if (lost)
        {
            NodeLost?.Invoke();
        }
    }

    /// <summary>Makes this node's listener and registers it; a silo's lifecycle or a front-end's hosted service calls it.</summary>
    internal async Task StartAsync(CancellationToken cancellation)
    {
        _reference = _grains.CreateObjectReference<INodeListener>(_listener);
        try
        {
            await RegisterAsync().WaitAsync(RegistrationTimeout, cancellation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellation.IsCancellationRequested)
        {
            LogRegistrationFailed(_logger, ex);
        }

        _loop = Task.Run(KeepRegisteredAsync, CancellationToken.None);
    }

    internal async Task StopAsync(CancellationToken cancellation)
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
        var nodes = await _grains.GetGrain<INodeRegistryGrain>(0).Register(SelfNode);
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
                    // Bounded: a registry whose silo has just died must not hold this loop for a whole response timeout.
                    await RegisterAsync().WaitAsync(RegistrationTimeout, _stopping.Token);
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

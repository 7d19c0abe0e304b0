using System.Collections.Frozen;

namespace BeaconEngine.Proximity.Zones;

/// <summary>
/// Which zones one can walk between directly. A zone that declares no neighbours constrains nothing,
/// so a layout without adjacency still works; adjacency is symmetric even if declared on one side only.
/// </summary>
public sealed class ZoneGraph
{
    private readonly FrozenDictionary<string, FrozenSet<string>> _neighbors;

    public ZoneGraph(IEnumerable<(string ZoneId, IEnumerable<string> Neighbors)> zones)
    {
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (zone, neighbors) in zones)
        {
            foreach (var neighbor in neighbors)
            {
                Add(map, zone, neighbor);
                Add(map, neighbor, zone);
            }
        }

        _neighbors = map.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public static ZoneGraph Unconstrained { get; } = new([]);

    /// <summary>True when one may walk from <paramref name="from"/> to <paramref name="to"/> directly, or when nothing says otherwise.</summary>
    public bool AllowsDirect(string from, string to) =>
        !_neighbors.TryGetValue(from, out var next) || next.Contains(to);

    private static void Add(Dictionary<string, HashSet<string>> map, string a, string b)
    {
        if (!map.TryGetValue(a, out var set))
        {
            map[a] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(b);
    }
}

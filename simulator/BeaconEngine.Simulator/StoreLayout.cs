using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeaconEngine.Simulator;

/// <summary>
/// A store's floor for the simulator: zones as rectangles (metres) with their neighbours, gateways at
/// positions, and the radio: transmit power at 1 m, path-loss exponent and the gateways' sensitivity.
/// Read from a JSON file (<c>--layout</c>); <see cref="Row"/> makes the default.
/// </summary>
public sealed record StoreLayout
{
    public string Name { get; init; } = "Simulated store";

    /// <summary>RSSI at 1 m, dBm (a phone advertising at about -59 dBm at 1 m is typical).</summary>
    public double TxPower { get; init; } = -59;

    /// <summary>Log-distance path-loss exponent: 2 in free space, 2-3 between shelves.</summary>
    public double PathLossExponent { get; init; } = 2.2;

    /// <summary>Height of the gateways above the phones, metres.</summary>
    public double GatewayHeight { get; init; } = 1.5;

    /// <summary>Weakest signal a gateway reports, dBm.</summary>
    public double Sensitivity { get; init; } = -80;

    /// <summary>Where shoppers come in and leave; the first zone when not set.</summary>
    public string? Entrance { get; init; }

    public required IReadOnlyList<LayoutZone> Zones { get; init; }

    public required IReadOnlyList<LayoutGateway> Gateways { get; init; }

    public LayoutZone EntranceZone => Zones.FirstOrDefault(z => z.Id == Entrance) ?? Zones[0];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static StoreLayout Load(string path)
    {
        var layout = JsonSerializer.Deserialize<StoreLayout>(File.ReadAllText(path), Json)
            ?? throw new ArgumentException($"{path} holds no layout");
        layout.Validate(path);
        return layout;
    }

    /// <summary>Aisles in a row, 6 m apart, 4 m wide and 12 m long, each with a gateway in its middle.</summary>
    public static StoreLayout Row(int aisles) => new()
    {
        Name = $"{aisles} aisles in a row",
        Zones = [.. Enumerable.Range(0, aisles).Select(i => new LayoutZone
        {
            Id = $"aisle-{i}",
            Name = $"Aisle {i}",
            X = (i * 6) + 1,
            Y = 0,
            Width = 4,
            Height = 12,
            Neighbors = [.. new[] { i - 1, i + 1 }.Where(n => n >= 0 && n < aisles).Select(n => $"aisle-{n}")],
        })],
        Gateways = [.. Enumerable.Range(0, aisles).Select(i => new LayoutGateway { Id = $"gw-{i}", ZoneId = $"aisle-{i}", X = (i * 6) + 3, Y = 6 })],
    };

    private void Validate(string path)
    {
        if (Zones.Count == 0 || Gateways.Count == 0)
        {
            throw new ArgumentException($"{path}: a layout needs at least one zone and one gateway");
        }

        var ids = Zones.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.Count != Zones.Count)
        {
            throw new ArgumentException($"{path}: zone ids must be unique");
        }

        foreach (var zone in Zones)
        {
            if (zone.Neighbors.FirstOrDefault(n => !ids.Contains(n)) is { } unknown)
            {
                throw new ArgumentException($"{path}: zone '{zone.Id}' names an unknown neighbour '{unknown}'");
            }
        }

        if (Gateways.FirstOrDefault(g => !ids.Contains(g.ZoneId)) is { } stray)
        {
            throw new ArgumentException($"{path}: gateway '{stray.Id}' is in an unknown zone '{stray.ZoneId}'");
        }
    }
}

public sealed record LayoutZone
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public string? Category { get; init; }

    public double X { get; init; }

    public double Y { get; init; }

    public double Width { get; init; } = 4;

    public double Height { get; init; } = 10;

    public IReadOnlyList<string> Neighbors { get; init; } = [];

    [JsonIgnore] public double CentreX => X + (Width / 2);

    [JsonIgnore] public double CentreY => Y + (Height / 2);
}

public sealed record LayoutGateway
{
    public required string Id { get; init; }

    public required string ZoneId { get; init; }

    public double X { get; init; }

    public double Y { get; init; }
}

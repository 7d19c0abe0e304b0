using System.Globalization;

namespace BeaconEngine.Simulator;

/// <summary>Command-line settings of a simulation run.</summary>
public sealed record SimulationOptions
{
    public Uri Url { get; init; } = new("http://localhost:5080");

    public string? AdminKey { get; init; }

    public int Shoppers { get; init; } = 50;

    public int Aisles { get; init; } = 6;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Standard deviation of RSSI noise, dB.</summary>
    public double NoiseDb { get; init; } = 4;

    /// <summary>Share of advertisements a gateway misses.</summary>
    public double DropRate { get; init; } = 0.1;

    public int Seed { get; init; } = 7;

    public const string Usage = """
        BeaconEngine store simulator: sets up a store through the public API, walks shoppers through its
        aisles, sends gateway batches over HTTP and receives coupons on real SignalR (MessagePack) clients.

          --url URL          server (default http://localhost:5080)
          --admin-key KEY    operator key (default: $BeaconEngine__AdminKey, else src/BeaconEngine.Server/data/admin.key)
          --shoppers N       shoppers walking at once (default 50)
          --aisles N         aisles, one gateway each (default 6)
          --seconds N        length of the walk (default 30)
          --noise DB         RSSI noise standard deviation (default 4)
          --drop RATE        share of advertisements lost (default 0.1)
          --seed N           random seed (default 7)
        """;

    public static SimulationOptions Parse(string[] args)
    {
        var options = new SimulationOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--url" => options with { Url = new Uri(Next()) },
                "--admin-key" => options with { AdminKey = Next() },
                "--shoppers" => options with { Shoppers = Positive(Next(), "--shoppers") },
                "--aisles" => options with { Aisles = Positive(Next(), "--aisles") },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Positive(Next(), "--seconds")) },
                "--noise" => options with { NoiseDb = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--drop" => options with { DropRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return options with { AdminKey = options.AdminKey ?? FindAdminKey() };
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive whole number");

    private static string? FindAdminKey()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("BeaconEngine__AdminKey");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        foreach (var path in new[] { "src/BeaconEngine.Server/data/admin.key", "data/admin.key" })
        {
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Trim();
            }
        }

        return null;
    }
}

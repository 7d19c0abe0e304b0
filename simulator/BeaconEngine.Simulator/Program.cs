using BeaconEngine.Simulator;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SimulationOptions.Usage);
    return 0;
}

SimulationOptions options;
if (args.Contains("--sweep"))
{
    // --sweep GRID [--sweep-shoppers N] [--sweep-seconds N] and the world's options: no server.
    string Take(string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0 || at + 1 >= args.Length)
        {
            return fallback;
        }

        var value = args[at + 1];
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }

    var grid = Take("--sweep", string.Empty);
    var sweepShoppers = int.Parse(Take("--sweep-shoppers", "200"), System.Globalization.CultureInfo.InvariantCulture);
    var sweepSeconds = double.Parse(Take("--sweep-seconds", "300"), System.Globalization.CultureInfo.InvariantCulture);
    var sweepPositions = Take("--sweep-positions", "on") != "off";
    var sweepGains = Take("--sweep-gains", "off") == "on";
    var sweepTrail = Take("--sweep-trail", "off") == "on";
    var sweepOutlines = Take("--sweep-outlines", "off") == "on";
    return new ZoneModelSweep(SimulationOptions.Parse(args), grid, sweepShoppers, sweepSeconds, sweepPositions, sweepGains, sweepTrail, sweepOutlines).Run();
}

try
{
    options = SimulationOptions.Parse(args);
    options.Layout();
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(SimulationOptions.Usage);
    return 2;
}

if (options.AdminKey is null)
{
    Console.Error.WriteLine("No operator key: pass --admin-key or set BeaconEngine__AdminKey.");
    return 2;
}

try
{
    return options.Mode switch
    {
        SimulationMode.Capacity => await new CapacityRun(options).RunAsync(),
        SimulationMode.Memory => await new MemoryRun(options).RunAsync(),
        _ => await new StoreSimulation(options).RunAsync(),
    };
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"The server at {options.Url} failed the simulation: {ex.Message}");
    return 1;
}

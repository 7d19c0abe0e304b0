using BeaconEngine.Simulator;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SimulationOptions.Usage);
    return 0;
}

SimulationOptions options;
try
{
    options = SimulationOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(SimulationOptions.Usage);
    return 2;
}

await using var simulation = new StoreSimulation(options);
return await simulation.RunAsync();

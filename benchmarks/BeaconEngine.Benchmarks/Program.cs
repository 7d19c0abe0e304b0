using BeaconEngine.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/BeaconEngine.Benchmarks -- accuracy
// dotnet run -c Release --project benchmarks/BeaconEngine.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/BeaconEngine.Benchmarks -- --filter '*RulesBenchmarks*'
if (args is ["accuracy", ..])
{
    return AccuracyReport.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(AccuracyReport).Assembly).Run(args);
return 0;

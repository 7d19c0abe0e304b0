using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/BeaconEngine.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

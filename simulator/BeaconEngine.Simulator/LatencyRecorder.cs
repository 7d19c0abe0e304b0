namespace BeaconEngine.Simulator;

/// <summary>Collects latencies in milliseconds; percentiles by nearest rank.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];
    private readonly Lock _lock = new();

    public void Add(double milliseconds)
    {
        lock (_lock)
        {
            _samples.Add(milliseconds);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _samples.Clear();
        }
    }

    public double[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    public LatencySummary Summary() => LatencySummary.Of(Snapshot());
}

/// <summary>Percentiles of a set of latencies, ms.</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99, double P999, double Max)
{
    public static LatencySummary Of(double[] samples)
    {
        if (samples.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = samples.Order().ToArray();
        double P(double q) => Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 3);
        return new LatencySummary(sorted.Length, P(0.50), P(0.95), P(0.99), P(0.999), Math.Round(sorted[^1], 3));
    }

    public override string ToString() => Count == 0
        ? "no samples"
        : $"p50 {P50:0.00} ms, p95 {P95:0.00} ms, p99 {P99:0.00} ms, p99.9 {P999:0.00} ms, max {Max:0.00} ms (n = {Count})";
}

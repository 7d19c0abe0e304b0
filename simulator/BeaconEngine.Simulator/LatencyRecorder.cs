using System.Globalization;

namespace BeaconEngine.Simulator;

/// <summary>Collects latencies in milliseconds and reports percentiles (nearest rank).</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_lock)
        {
            _samples.Add(milliseconds);
        }
    }

    public string Summary()
    {
        double[] sorted;
        lock (_lock)
        {
            sorted = [.. _samples.Order()];
        }

        if (sorted.Length == 0)
        {
            return "no samples";
        }

        string P(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)].ToString("0.00", CultureInfo.InvariantCulture);
        return $"p50 {P(0.50)} ms, p95 {P(0.95)} ms, p99 {P(0.99)} ms, p99.9 {P(0.999)} ms, max {sorted[^1].ToString("0.00", CultureInfo.InvariantCulture)} ms (n={sorted.Length})";
    }
}

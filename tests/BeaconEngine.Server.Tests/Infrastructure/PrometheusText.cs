using System.Globalization;

namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// Reads Prometheus text exposition as a scraper does: samples by metric name and labels. The OpenTelemetry
/// exporter adds labels of its own (<c>otel_scope_name</c>), so a series is matched on a subset of its labels.
/// </summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public PrometheusText(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.IndexOfAny(['{', ' ']);
            var name = line[..nameEnd];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var position = nameEnd;
            if (line[nameEnd] == '{')
            {
                // Label values may hold braces and commas (a route such as /stores/{storeId}): only quotes delimit them.
                position++;
                while (line[position] != '}')
                {
                    var eq = line.IndexOf('=', position);
                    var key = line[position..eq];
                    var labelValue = new System.Text.StringBuilder();
                    position = eq + 2;
                    for (; line[position] != '"'; position++)
                    {
                        if (line[position] == '\\')
                        {
                            position++;
                        }

                        labelValue.Append(line[position]);
                    }

                    labels[key] = labelValue.ToString();
                    position++;
                    if (line[position] == ',')
                    {
                        position++;
                    }
                }

                position++;
            }

            var rest = line[position..].Trim();
            // A sample may carry a timestamp after its value.
            var value = rest.Split(' ')[0];
            _samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }
    }

    public string Text { get; }

    public bool HasFamily(string name, string type) => Text.Contains($"# TYPE {name} {type}\n", StringComparison.Ordinal);

    /// <summary>The samples of <paramref name="name"/> whose labels include <paramref name="labels"/> ("key", "value" pairs).</summary>
    public IReadOnlyList<double> Values(string name, params string[] labels) =>
        [.. _samples.Where(s => s.Name == name && Matches(s.Labels, labels)).Select(s => s.Value)];

    /// <summary>The one sample of <paramref name="name"/> with these labels; fails if there is none or several.</summary>
    public double Value(string name, params string[] labels)
    {
        var values = Values(name, labels);
        Assert.True(values.Count == 1, $"expected one sample of {name} {{{string.Join(",", labels)}}}, found {values.Count} in:\n{Text}");
        return values[0];
    }

    /// <summary>The sum over every series of <paramref name="name"/> (0 when it has none yet).</summary>
    public double Sum(string name) => Values(name).Sum();

    private static bool Matches(Dictionary<string, string> actual, string[] wanted)
    {
        for (var i = 0; i + 1 < wanted.Length; i += 2)
        {
            if (!actual.TryGetValue(wanted[i], out var v) || v != wanted[i + 1])
            {
                return false;
            }
        }

        return true;
    }
}

using System.Globalization;
using System.Text;

namespace BeaconEngine.Simulator;

/// <summary>
/// A latency histogram as an SVG picture: log-scaled milliseconds over the range the samples span (not a fixed
/// 0.01 ms to 10 s, which left most of the picture empty), one series per phase, p50 and p99 marks, and a legend
/// below the plot where it cannot be cut off or cover the bars.
/// </summary>
public static class Histogram
{
    private const int Width = 900;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 40;
    private const int PlotHeight = 300;
    private const int AxisSpace = 44;
    private const int LegendRow = 20;
    private const int BinsPerDecade = 20;

    public static string Svg(string title, IReadOnlyList<(string Name, string Colour, double[] Samples)> series)
    {
        var (minLog, maxLog) = Range(series.SelectMany(s => s.Samples));
        var bins = Math.Max(1, (int)Math.Round((maxLog - minLog) * BinsPerDecade));
        var shares = series.Select(s => Shares(s.Samples, bins, minLog)).ToList();
        var top = Math.Max(0.01, shares.SelectMany(s => s).DefaultIfEmpty(0).Max());
        var plotWidth = Width - Left - Right;
        var height = Top + PlotHeight + AxisSpace + (series.Count * LegendRow) + 12;
        double X(double log) => Left + ((Math.Clamp(log, minLog, maxLog) - minLog) / (maxLog - minLog) * plotWidth);
        double Y(double share) => Top + PlotHeight - (share / top * PlotHeight);
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>");
        foreach (var tick in Ticks(minLog, maxLog))
        {
            var x = X(Math.Log10(tick));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{Top + PlotHeight}\" stroke=\"#e4e4e4\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{Top + PlotHeight + 16}\" text-anchor=\"middle\">{F(tick)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Top + PlotHeight + 34}\" text-anchor=\"middle\">latency, ms (log scale)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + (PlotHeight / 2)}\" transform=\"rotate(-90 14 {Top + (PlotHeight / 2)})\" text-anchor=\"middle\">share of samples, %</text>");
        for (var i = 0; i <= 4; i++)
        {
            var share = top * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(share) + 4)}\" text-anchor=\"end\">{F(share * 100)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + PlotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + PlotHeight}\" stroke=\"black\"/>");
        var binWidth = plotWidth / (double)bins;
        for (var s = 0; s < series.Count; s++)
        {
            var (name, colour, samples) = series[s];
            for (var b = 0; b < bins; b++)
            {
                if (shares[s][b] > 0)
                {
                    var x = X(minLog + ((double)b / BinsPerDecade));
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(Y(shares[s][b]))}\" width=\"{F(binWidth)}\" height=\"{F(Top + PlotHeight - Y(shares[s][b]))}\" fill=\"{colour}\" fill-opacity=\"0.55\"/>");
                }
            }

            var summary = LatencySummary.Of(samples);
            foreach (var value in new[] { summary.P50, summary.P99 })
            {
                if (summary.Count > 0 && value > 0)
                {
                    var x = X(Math.Log10(value));
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{Top + PlotHeight}\" stroke=\"{colour}\" stroke-dasharray=\"4 3\"/>");
                }
            }

            // The legend: one row per series under the axis title, naming the dashed marks' values.
            var y = Top + PlotHeight + AxisSpace + (s * LegendRow);
            var text = summary.Count > 0
                ? $"{name}: n = {samples.Length}, p50 {F(summary.P50)} ms, p99 {F(summary.P99)} ms (dashed lines)"
                : $"{name}: no samples";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{colour}\" fill-opacity=\"0.55\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 18}\" y=\"{y + 10}\">{Escape(text)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// Whole or half decades around the samples, at least one decade wide; from 1st to the 100th percentile, so a
    /// single stray fast sample does not stretch the picture (it lands in the first bin).
    /// </summary>
    public static (double MinLog, double MaxLog) Range(IEnumerable<double> samples)
    {
        var sorted = samples.Where(v => v > 0 && double.IsFinite(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return (0, 3);
        }

        var low = Math.Log10(sorted[(int)(sorted.Length * 0.01)]);
        var high = Math.Log10(sorted[^1]);
        var minLog = Math.Floor(low * 2) / 2;
        var maxLog = Math.Ceiling(high * 2) / 2;
        if (maxLog <= minLog + 1)
        {
            maxLog = minLog + 1;
        }

        return (minLog, maxLog);
    }

    /// <summary>1-2-5 ticks within the range when it is narrow, whole decades when it is wide.</summary>
    private static IEnumerable<double> Ticks(double minLog, double maxLog)
    {
        double[] steps = maxLog - minLog <= 2.5 ? [1, 2, 5] : [1];
        for (var decade = (int)Math.Floor(minLog); decade <= (int)Math.Ceiling(maxLog); decade++)
        {
            foreach (var step in steps)
            {
                var value = step * Math.Pow(10, decade);
                var log = Math.Log10(value);
                if (log >= minLog - 1e-9 && log <= maxLog + 1e-9)
                {
                    yield return value;
                }
            }
        }
    }

    private static double[] Shares(double[] samples, int bins, double minLog)
    {
        var counts = new double[bins];
        foreach (var sample in samples)
        {
            var log = Math.Log10(Math.Max(sample, 1e-6));
            var bin = Math.Clamp((int)Math.Floor((log - minLog) * BinsPerDecade), 0, bins - 1);
            counts[bin]++;
        }

        return samples.Length == 0 ? counts : [.. counts.Select(c => c / samples.Length)];
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}

using System.Globalization;
using System.Text;

namespace BeaconEngine.Simulator;

/// <summary>A latency histogram as an SVG picture: log-scaled milliseconds, one series per phase, percentile marks.</summary>
public static class Histogram
{
    private const int Width = 900;
    private const int Height = 420;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 60;
    private const double MinLog = -2;   // 0.01 ms
    private const double MaxLog = 4;    // 10 s
    private const int BinsPerDecade = 10;

    public static string Svg(string title, IReadOnlyList<(string Name, string Colour, double[] Samples)> series)
    {
        var bins = (int)((MaxLog - MinLog) * BinsPerDecade);
        var shares = series.Select(s => Shares(s.Samples, bins)).ToList();
        var top = Math.Max(0.01, shares.SelectMany(s => s).DefaultIfEmpty(0).Max());
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(double log) => Left + ((log - MinLog) / (MaxLog - MinLog) * plotWidth);
        double Y(double share) => Top + plotHeight - (share / top * plotHeight);
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>");
        for (var decade = (int)MinLog; decade <= (int)MaxLog; decade++)
        {
            var x = X(decade);
            var label = Math.Pow(10, decade) switch { < 1 and var v => F(v), var v => F(v) };
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{Top + plotHeight}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{label}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 22}\" text-anchor=\"middle\">latency, ms (log scale)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 14 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">share of samples, %</text>");
        for (var i = 0; i <= 4; i++)
        {
            var share = top * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(share) + 4)}\" text-anchor=\"end\">{F(share * 100)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>");
        for (var s = 0; s < series.Count; s++)
        {
            var (name, colour, samples) = series[s];
            var binWidth = plotWidth / (double)bins;
            for (var b = 0; b < bins; b++)
            {
                if (shares[s][b] > 0)
                {
                    var x = X(MinLog + ((double)b / BinsPerDecade));
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(Y(shares[s][b]))}\" width=\"{F(binWidth)}\" height=\"{F(Top + plotHeight - Y(shares[s][b]))}\" fill=\"{colour}\" fill-opacity=\"0.55\"/>");
                }
            }

            var summary = LatencySummary.Of(samples);
            foreach (var (label, value) in new[] { ("p50", summary.P50), ("p99", summary.P99) })
            {
                if (summary.Count > 0 && value > 0)
                {
                    var x = X(Math.Clamp(Math.Log10(value), MinLog, MaxLog));
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{Top + plotHeight}\" stroke=\"{colour}\" stroke-dasharray=\"4 3\"/>");
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 3)}\" y=\"{Top + 12 + (s * 14)}\" fill=\"{colour}\">{label} {F(value)}</text>");
                }
            }

            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + plotWidth - 230}\" y=\"{Top + 6 + (s * 18)}\" width=\"12\" height=\"12\" fill=\"{colour}\" fill-opacity=\"0.55\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth - 212}\" y=\"{Top + 16 + (s * 18)}\">{Escape(name)} (n = {samples.Length})</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static double[] Shares(double[] samples, int bins)
    {
        var counts = new double[bins];
        foreach (var sample in samples)
        {
            var log = Math.Log10(Math.Max(sample, 1e-6));
            var bin = Math.Clamp((int)Math.Floor((log - MinLog) * BinsPerDecade), 0, bins - 1);
            counts[bin]++;
        }

        return samples.Length == 0 ? counts : [.. counts.Select(c => c / samples.Length)];
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}

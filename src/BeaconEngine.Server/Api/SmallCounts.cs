namespace BeaconEngine.Server.Api;

/// <summary>
/// Hides from a brand a count that covers from 1 to 4 shoppers, as zone analytics does: the count becomes null
/// and its name is listed in <see cref="Names"/>. Zero stays zero: it reveals no shopper. For the operator
/// (<c>brand</c> false) every count is shown.
/// </summary>
public sealed class SmallCounts(bool brand)
{
    private readonly List<string> names = [];

    /// <summary>The names of the figures hidden so far, in the order they were met.</summary>
    public string[] Names => [.. names];

    public bool Any => names.Count > 0;

    public long? Count(long value, string name)
    {
        if (brand && value is > 0 and < ZoneAnalyticsEndpoints.MinimumShoppers)
        {
            names.Add(name);
            return null;
        }

        return value;
    }

    /// <summary>
    /// A whole made of parts (triggered = issued + held out): hidden when <paramref name="givesAPartAway"/> (one
    /// part is hidden and the other shown, so the difference would tell it), and otherwise when it is small,
    /// unless it is an offer-wide total (<paramref name="total"/>), which a brand sees exact.
    /// </summary>
    public long? Whole(long value, string name, bool givesAPartAway, bool total = false)
    {
        if (brand && givesAPartAway && value > 0)
        {
            names.Add(name);
            return null;
        }

        return total ? value : Count(value, name);
    }

    /// <summary>Names figures hidden because they are worked out from a hidden count.</summary>
    public void Add(params string[] figures) => names.AddRange(figures);
}

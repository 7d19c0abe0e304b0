using BeaconEngine.Contracts.Stores;
using BeaconEngine.Rules.Policy;

namespace BeaconEngine.Grains.Stores;

/// <summary>Applies a store's contact-limit overrides to the defaults.</summary>
public static class ContactSettingsMapper
{
    /// <summary>The effective policy; throws <see cref="ArgumentException"/> naming the setting when a value is out of range.</summary>
    public static ContactPolicy Apply(ContactPolicy defaults, ContactSettings? settings)
    {
        if (settings is null)
        {
            return defaults;
        }

        return defaults with
        {
            MaxCouponsPerDay = Check(settings.MaxCouponsPerDay, 0, 100, "maxCouponsPerDay") ?? defaults.MaxCouponsPerDay,
            MinGap = Minutes(settings.MinGapMinutes, "minGapMinutes") ?? defaults.MinGap,
            QuietAfterDismissal = Minutes(settings.QuietAfterDismissalMinutes, "quietAfterDismissalMinutes") ?? defaults.QuietAfterDismissal,
            DismissalsToExcludeCategory = Check(settings.DismissalsToExcludeCategory, 1, 100, "dismissalsToExcludeCategory") ?? defaults.DismissalsToExcludeCategory,
            ReferenceBasket = settings.ReferenceBasket is { } basket
                ? (basket is > 0 and <= 1_000_000 ? basket : throw new ArgumentOutOfRangeException(nameof(settings), "referenceBasket must be above 0 and at most 1000000."))
                : defaults.ReferenceBasket,
        };
    }

    public static ContactSettings Describe(ContactPolicy p) => new()
    {
        MaxCouponsPerDay = p.MaxCouponsPerDay,
        MinGapMinutes = p.MinGap.TotalMinutes,
        QuietAfterDismissalMinutes = p.QuietAfterDismissal.TotalMinutes,
        DismissalsToExcludeCategory = p.DismissalsToExcludeCategory,
        ReferenceBasket = p.ReferenceBasket,
    };

    private static int? Check(int? value, int min, int max, string name) =>
        value is null || (value >= min && value <= max)
            ? value
            : throw new ArgumentOutOfRangeException(name, $"{name} must be from {min} to {max}.");

    private static TimeSpan? Minutes(double? value, string name) => value switch
    {
        null => null,
        double v when double.IsFinite(v) && v is >= 0 and <= 10_080 => TimeSpan.FromMinutes(v),
        _ => throw new ArgumentOutOfRangeException(name, $"{name} must be from 0 to 10080 (a week)."),
    };
}

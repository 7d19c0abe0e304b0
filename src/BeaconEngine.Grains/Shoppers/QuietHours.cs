using System.Globalization;
using BeaconEngine.Contracts.Shoppers;

namespace BeaconEngine.Grains.Shoppers;

/// <summary>The hours of the store's local day in which a shopper asked for no coupons.</summary>
internal static class QuietHours
{
    /// <summary>Whether <paramref name="now"/> falls in the shopper's quiet hours (a window may span midnight).</summary>
    public static bool Hold(ShopperPreferences? preferences, TimeZoneInfo storeTimeZone, DateTimeOffset now)
    {
        if (preferences is not { QuietFrom: { } from, QuietTo: { } to }
            || !TimeOnly.TryParseExact(from, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(to, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            return false;
        }

        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, storeTimeZone).DateTime);
        return start <= end ? local >= start && local < end : local >= start || local < end;
    }
}

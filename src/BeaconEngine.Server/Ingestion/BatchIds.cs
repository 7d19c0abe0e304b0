using System.Text.Json;
using BeaconEngine.Server.Api;

namespace BeaconEngine.Server.Ingestion;

/// <summary>
/// A gateway's batch id: the <c>Idempotency-Key</c> header or the body's <c>batchId</c> field (both may be given
/// if they are equal). 1 to 128 visible ASCII characters, chosen by the gateway and unique among its own batches.
/// </summary>
public static class BatchIds
{
    public const string Header = "Idempotency-Key";
    public const string Field = "batchId";
    public const int MaxLength = 128;

    /// <summary>The batch id of a request, or null when it names none; a malformed id is a 400.</summary>
    public static string? Read(string? header, JsonElement body)
    {
        string? field = null;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(Field, out var element) && element.ValueKind != JsonValueKind.Null)
        {
            field = element.ValueKind == JsonValueKind.String
                ? element.GetString()
                : throw Problems.BadRequest($"'{Field}' must be a string of 1 to {MaxLength} visible ASCII characters.");
        }

        var fromHeader = string.IsNullOrEmpty(header) ? null : header;
        if (fromHeader is not null && field is not null && fromHeader != field)
        {
            throw Problems.BadRequest($"The {Header} header and '{Field}' name different batches; give one, or the same id in both.");
        }

        return Check(fromHeader ?? field);
    }

    public static string? Check(string? id)
    {
        if (id is null)
        {
            return null;
        }

        if (id.Length is 0 or > MaxLength || id.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            throw Problems.BadRequest($"A batch id ({Header} or '{Field}') must be 1 to {MaxLength} visible ASCII characters, without spaces.");
        }

        return id;
    }
}

using System.Runtime.CompilerServices;

namespace BeaconEngine.Gateway.Sources;

/// <summary>
/// Replays a recording at <see cref="SourceOptions.Speed"/> (1: real time, 0: no waiting), stamping each sighting by
/// <see cref="SourceOptions.Clock"/>.
/// </summary>
public sealed partial class RecordingSource(SourceOptions options, TimeProvider time, ILogger<RecordingSource> logger) : ISightingSource
{
    public bool Finite => true;

    public async IAsyncEnumerable<GatewaySighting> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = options.Path ?? throw new ArgumentException("Source:Path is required for a file source.");
        var format = options.Format;
        if (format == RecordingFormat.Auto)
        {
            using var peek = new StreamReader(path);
            format = RecordingReader.Detect(path, peek.ReadLine());
        }

        // Read whole: a shifted clock needs the last time, and recordings are small next to the agent's queue.
        List<GatewaySighting> rows;
        using (var reader = new StreamReader(path))
        {
            rows = [.. RecordingReader.Read(reader, format, options, (line, error) => LogBadLine(logger, line, error))];
        }

        LogReplaying(logger, rows.Count, path, format, options.Speed);
        if (rows.Count == 0)
        {
            yield break;
        }

        var first = rows[0].At;
        var started = time.GetUtcNow();
        var shift = options.Clock == ReplayClock.Shifted ? started - rows[^1].At : TimeSpan.Zero;
        foreach (var row in rows)
        {
            var offset = row.At - first;
            if (options.Speed > 0)
            {
                var due = started + (offset / options.Speed);
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }
            }

            var at = options.Clock switch
            {
                ReplayClock.Live => time.GetUtcNow(),
                ReplayClock.Shifted => row.At + shift,
                _ => row.At,
            };
            yield return row with { At = at };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying {Count} sightings from {Path} ({Format}) at speed {Speed}")]
    private static partial void LogReplaying(ILogger logger, int count, string path, RecordingFormat format, double speed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording line {Line} skipped: {Error}")]
    private static partial void LogBadLine(ILogger logger, int line, string error);
}

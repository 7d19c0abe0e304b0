using System.Runtime.CompilerServices;

namespace BeaconEngine.Gateway.Sources;

/// <summary>
/// Sightings as JSON Lines on standard input (the format of <see cref="RecordingReader.ReadJsonLines"/>; a line
/// without <c>ts</c> is stamped on arrival), e.g. piped from another scanner.
/// </summary>
public sealed partial class StdinSource(TextReader input, TimeProvider time, ILogger<StdinSource> logger) : ISightingSource
{
    public bool Finite => true;

    public async IAsyncEnumerable<GatewaySighting> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            // Live input may leave the time out: it is heard now.
            if (RecordingReader.TryParseJsonLine(line, out var sighting, out var error, heardNow: time.GetUtcNow()))
            {
                yield return sighting;
            }
            else
            {
                LogBadLine(logger, number, error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Input line {Line} skipped: {Error}")]
    private static partial void LogBadLine(ILogger logger, int line, string error);
}

using Microsoft.Extensions.Configuration;

namespace BeaconEngine.Gateway.Calibration;

/// <summary><c>beaconengine-gateway calibrate</c>: options from <c>--config</c> and the command line, the replay, and an exit code.</summary>
public static class CalibrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        if (configuration["config"] is { Length: > 0 } file)
        {
            configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false).AddCommandLine(args).Build();
        }

        var options = configuration.GetSection("Calibrate").Get<CalibrateOptions>() ?? new CalibrateOptions();
        try
        {
            options.Validate();
            using var http = new HttpClient { Timeout = options.Timeout };
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            await new CalibrationReplay(options, http, Console.Out, TimeProvider.System).RunAsync(stop.Token);
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or CalibrationReplayException or HttpRequestException or IOException)
        {
            await Console.Error.WriteLineAsync($"calibrate: {ex.Message}");
            return 1;
        }
    }
}

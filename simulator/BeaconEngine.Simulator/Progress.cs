using Spectre.Console;

namespace BeaconEngine.Simulator;

/// <summary>What the simulator shows while it runs: a live progress bar on a terminal, plain lines otherwise.</summary>
public static class Progress
{
    public static void Line(string text)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.MarkupLine(Markup.Escape(text));
        }
        else
        {
            // Redirected to a file or a CI log: whole lines, not wrapped at an imagined 80 columns.
            Console.WriteLine(text);
        }
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar over <paramref name="duration"/> and a status line.</summary>
    public static async Task RunAsync(string phase, TimeSpan duration, Func<TimeSpan> elapsed, Func<string> status, Func<Task> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var running = work();
            while (!running.IsCompleted)
            {
                if (await Task.WhenAny(running, Task.Delay(5000)) == running)
                {
                    break;
                }

                Line($"  {phase,-7} {elapsed().TotalSeconds,5:0} s  {status()}");
            }

            await running;
            return;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Markup.Escape(phase), maxValue: duration.TotalSeconds);
                var running = work();
                while (!running.IsCompleted)
                {
                    await Task.WhenAny(running, Task.Delay(250));
                    bar.Value = Math.Min(duration.TotalSeconds, elapsed().TotalSeconds);
                    bar.Description = Markup.Escape($"{phase}  {status()}");
                }

                bar.Value = duration.TotalSeconds;
                await running;
            });
    }

    public static void Summary(IEnumerable<(string Name, string Value)> rows)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Figure").AddColumn("Value");
        foreach (var (name, value) in rows)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
    }
}

using Spectre.Console;

namespace Vectord.Cli.Output;

/// <summary>Shows a live progress bar (done, bar, percentage, rate, time left) while a piece of work runs, polling
/// how far it is; on a console that is not interactive, Spectre prints updates as lines instead.</summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs <paramref name="work"/> under a bar named <paramref name="description"/>.</summary>
    /// <param name="console">Where the bar is drawn.</param>
    /// <param name="description">The bar's label.</param>
    /// <param name="unit">What is counted (<c>items</c>, <c>bytes</c>).</param>
    /// <param name="progress">Reads (done, total) now; total is an estimate while the work cannot know it.</param>
    /// <param name="work">The work; its result is returned once it ends, its exception rethrown.</param>
    public static async Task<T> RunAsync<T>(IAnsiConsole console, string description, string unit,
        Func<(double Done, double Total)> progress, Func<Task<T>> work)
    {
        return await console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ItemsPerSecondColumn(unit),
                new RemainingTimeColumn(),
                new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(description, maxValue: Math.Max(1, progress().Total));
                var running = work();
                while (!running.IsCompleted)
                {
                    Update(bar, progress());
                    await Task.WhenAny(running, Task.Delay(Poll)).ConfigureAwait(false);
                }
                Update(bar, progress());
                bar.StopTask();
                return await running.ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private static void Update(ProgressTask bar, (double Done, double Total) now)
    {
        bar.MaxValue = Math.Max(Math.Max(1, now.Total), now.Done);
        bar.Value = now.Done;
    }
}

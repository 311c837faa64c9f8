using Vectord.Cli;

// The first Ctrl+C asks the running command to stop cleanly (an import finishes the batches in flight); a second
// one ends the process at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        stop.Cancel();
    }
};
return await VectordApp.RunAsync(args, CliContext.FromProcess(), stop.Token).ConfigureAwait(false);

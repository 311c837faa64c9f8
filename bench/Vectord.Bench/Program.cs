using BenchmarkDotNet.Running;
using Vectord.Bench.Common;
using Vectord.Bench.Modes;

IBenchMode[] modes = [new AnnMode(), new StorageMode(), new IngestMode(), new RestartMode(), new ConcurrentMode(), new HttpMode(), new ImportMode(), new ShardsMode(), new MixedMode(), new FilterMode(), new SnapshotMode(), new TenantsMode(), new FailoverMode(), new HybridMode(), new NamedMode()];

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    PrintModes(Console.Out);
    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "micro")
{
    // BenchmarkDotNet micro-benchmarks (classes under Micro/); the rest of the line goes to BenchmarkDotNet.
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(AnnMode).Assembly).Run(args[1..]);
    return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
}

var mode = modes.FirstOrDefault(m => m.Name == args[0]);
if (mode is null)
{
    Console.Error.WriteLine($"error: unknown mode '{args[0]}'");
    PrintModes(Console.Error);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    var options = BenchArgs.Parse(args[1..]);
    if (options.HelpRequested)
    {
        PrintUsage(Console.Out, mode);
        return 0;
    }
    return await mode.RunAsync(options, cancellation.Token);
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    PrintUsage(Console.Error, mode);
    return 2;
}
catch (BenchException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}

void PrintModes(TextWriter writer)
{
    writer.WriteLine("usage: Vectord.Bench <mode> [options]    (Vectord.Bench <mode> --help for the options)");
    writer.WriteLine();
    foreach (var m in modes)
    {
        writer.WriteLine($"  {m.Name,-8} {m.Summary}");
    }
    writer.WriteLine($"  {"micro",-8} BenchmarkDotNet micro-benchmarks; arguments go to BenchmarkDotNet (e.g. --filter '*')");
}

static void PrintUsage(TextWriter writer, IBenchMode mode)
{
    writer.WriteLine($"usage: Vectord.Bench {mode.Name} [options]");
    writer.WriteLine(mode.Summary);
    writer.WriteLine();
    writer.WriteLine(mode.Usage);
}

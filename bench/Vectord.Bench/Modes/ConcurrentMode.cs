using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Read concurrency of one index: ingests the data set through the grain, then measures search queries per second
/// through the grain from one caller and from two concurrent callers (searches are <c>[ReadOnly]</c>, so the
/// activation interleaves them). Goal: two callers at least 1.7× one.
/// </summary>
internal sealed class ConcurrentMode(TextWriter? output = null) : IBenchMode
{
    public const double Goal = 1.7;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "concurrent";

    public string Summary => "search QPS of one index through the grain from 1 and 2 concurrent callers (goal 2 >= 1.7x 1)";

    public string Usage => ServiceOptions.CommonUsage + ServiceOptions.SearchUsage + """
          --engine-control        also build an engine index of the same data and measure it from 1 and 2 threads
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: true);
        var engineControl = args.GetFlag("engine-control");
        args.EnsureAllUsed();
        var output = _output;

        var dataset = options.LoadDataset();
        var n = dataset.Base.Length;
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} vectors, {dataset.Queries.Length} queries, dim {dataset.Dimension}, k={K}, ef={options.Ef}"));

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        var name = ServiceOptions.NewIndexName(Name);
        var buildSeconds = await IngestAsync(silo.Grains, name, options.Spec(dataset.Dimension), GrainBatches(dataset, options.Batch), cancellationToken).ConfigureAwait(false);
        output.WriteLine(Invariant($"build       {n} vectors through the grain in {buildSeconds:F2} s (storage {lease.Storage.Describe()})"));

        var grain = silo.Grains.GetGrain<IVectorIndexGrain>(name);
        var ef = options.Ef;
        var queries = dataset.Queries;
        async Task<int> Search(int q) => (await grain.SearchAsync(queries[q], K, ef).ConfigureAwait(false)).Length;
        Timing.SettleMemory();
        var (qps1, mean1) = await SearchQpsAsync(Search, queries.Length, 1, cancellationToken).ConfigureAwait(false);
        var (qps2, mean2) = await SearchQpsAsync(Search, queries.Length, 2, cancellationToken).ConfigureAwait(false);
        var ratio = qps2 / qps1;
        if (engineControl)
        {
            // The same loops without Orleans: what the engine itself gives from 1 and 2 threads right now.
            var (engine, _) = IngestEngine(options.EngineOptions(dataset.Dimension), EngineBatches(dataset, options.Batch), -1);
            Task<int> Direct(int q) => Task.FromResult(engine.Search(queries[q], K, ef).Length);
            var (e1, _) = await SearchQpsAsync(Direct, queries.Length, 1, cancellationToken).ConfigureAwait(false);
            var (e2, _) = await SearchQpsAsync(Direct, queries.Length, 2, cancellationToken).ConfigureAwait(false);
            output.WriteLine(Invariant($"engine      without the grain: 1 thread {e1:F0} qps, 2 threads {e2:F0} qps ({e2 / e1:F2}x)"));
        }
        var machine = MachineParallelism(dataset.Base, dataset.Queries);
        var load = LoadAverage();
        output.WriteLine(Invariant($"machine     2 threads of plain CPU work run {machine:F2}x one right now ({Environment.ProcessorCount} cores, load average {load:F1}): the ceiling for 2 callers"));

        output.WriteLine();
        var table = new TextTable(new("n", 6), new("ef", 4), new("1 caller qps", 12), new("mean ms", 7), new("2 callers qps", 13), new("mean ms", 7),
            new("ratio", 6), new("goal", 6), new("verdict", 7, false));
        table.WriteHeader(output);
        table.WriteRow(output, Invariant($"{n}"), Invariant($"{ef}"), Invariant($"{qps1:F0}"), Invariant($"{mean1:F3}"), Invariant($"{qps2:F0}"),
            Invariant($"{mean2:F3}"), Invariant($"{ratio:F2}x"), Invariant($">={Goal:F1}x"), Verdict(ratio >= Goal));
        if (options.JsonPath is not null)
        {
            JsonLines.Append(options.JsonPath, new ConcurrentResult(Name, dataset.Name, options.DistanceName, n, dataset.Dimension,
                dataset.Queries.Length, ef, Environment.ProcessorCount, Math.Round(qps1, 1), Math.Round(mean1, 4), Math.Round(qps2, 1),
                Math.Round(mean2, 4), Math.Round(ratio, 3), Goal, ratio >= Goal, Math.Round(machine, 3), Math.Round(load, 2)));
        }
        return 0;
    }
}

/// <summary>One JSON line of the <c>concurrent</c> mode.</summary>
internal sealed record ConcurrentResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("ef")] int Ef,
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("qps_1")] double Qps1,
    [property: JsonPropertyName("mean_ms_1")] double MeanMs1,
    [property: JsonPropertyName("qps_2")] double Qps2,
    [property: JsonPropertyName("mean_ms_2")] double MeanMs2,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("goal")] double Goal,
    [property: JsonPropertyName("goal_met")] bool GoalMet,
    [property: JsonPropertyName("machine_parallelism")] double MachineParallelism,
    [property: JsonPropertyName("load_average")] double LoadAverage);

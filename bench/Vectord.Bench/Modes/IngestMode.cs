using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Durable ingest throughput: vectors per second added through the index grain of an in-process silo (each add
/// returns once its log record is in storage), against the engine's own <c>HnswIndex.AddBatch</c> on the same
/// batches with the same thread count (the grain lets the engine use every core) in the same run.
/// Goal: grain rate at least 0.7× the engine's.
/// </summary>
internal sealed class IngestMode(TextWriter? output = null) : IBenchMode
{
    public const double Goal = 0.7;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "ingest";

    public string Summary => "vectors/s ingesting through the grain (durable) vs the engine's AddBatch on the same batches (goal >= 0.7x)";

    public string Usage => ServiceOptions.CommonUsage;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: false);
        // The grain inserts each batch on one thread (so that replaying the log after a crash rebuilds exactly the
        // graph that was in memory); --threads sets the engine side, 1 by default for a like-for-like figure.
        var threads = args.GetInt("threads", 1, min: 1, max: 1024);
        args.EnsureAllUsed();
        var output = _output;

        var dataset = options.LoadDataset();
        var n = dataset.Base.Length;
        var grainBatches = GrainBatches(dataset, options.Batch);
        var engineBatches = EngineBatches(dataset, options.Batch);
        var engineOptions = options.EngineOptions(dataset.Dimension);
        var spec = options.Spec(dataset.Dimension);
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} vectors, dim {dataset.Dimension}, batches of {options.Batch}, {threads} thread(s)"));

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"silo        started, storage {lease.Storage.Describe()}");
        await WarmUpIngestAsync(silo.Grains, engineOptions, spec, grainBatches, engineBatches, threads, cancellationToken).ConfigureAwait(false);

        Timing.SettleMemory();
        var (engineIndex, engineSeconds) = IngestEngine(engineOptions, engineBatches, threads);
        if (engineIndex.Count != n)
        {
            throw new BenchException($"the engine index holds {engineIndex.Count} items after adding {n} distinct ids");
        }
        engineIndex = null;
        Timing.SettleMemory();
        var grainSeconds = await IngestAsync(silo.Grains, ServiceOptions.NewIndexName(Name), spec, grainBatches, cancellationToken).ConfigureAwait(false);

        var engineRate = n / engineSeconds;
        var grainRate = n / grainSeconds;
        var ratio = grainRate / engineRate;
        output.WriteLine(Invariant($"engine      AddBatch x{engineBatches.Length}: {engineSeconds:F2} s, {engineRate:F0} vectors/s"));
        output.WriteLine(Invariant($"grain       AddAsync x{grainBatches.Length} (durable): {grainSeconds:F2} s, {grainRate:F0} vectors/s; {Mib(silo.Store.Counts.TotalBytes)} MiB written"));
        output.WriteLine();
        var table = new TextTable(new("n", 6), new("threads", 7), new("engine v/s", 10), new("grain v/s", 9), new("ratio", 6), new("goal", 6), new("verdict", 7, false));
        table.WriteHeader(output);
        table.WriteRow(output, Invariant($"{n}"), Invariant($"{threads}"), Invariant($"{engineRate:F0}"), Invariant($"{grainRate:F0}"),
            Invariant($"{ratio:F2}x"), Invariant($">={Goal:F1}x"), Verdict(ratio >= Goal));

        if (options.JsonPath is not null)
        {
            JsonLines.Append(options.JsonPath, new IngestResult(Name, dataset.Name, options.DistanceName, n, dataset.Dimension, options.Batch, threads,
                lease.Storage.Provider,
                Math.Round(engineSeconds, 3), Math.Round(engineRate, 1), Math.Round(grainSeconds, 3), Math.Round(grainRate, 1),
                Math.Round(ratio, 3), Goal, ratio >= Goal));
        }
        return 0;
    }

    private static string Mib(long bytes) => Invariant($"{bytes / (1024.0 * 1024.0):F1}");
}

/// <summary>One JSON line of the <c>ingest</c> mode.</summary>
internal sealed record IngestResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("engine_seconds")] double EngineSeconds,
    [property: JsonPropertyName("engine_vectors_per_second")] double EngineVectorsPerSecond,
    [property: JsonPropertyName("grain_seconds")] double GrainSeconds,
    [property: JsonPropertyName("grain_vectors_per_second")] double GrainVectorsPerSecond,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("goal")] double Goal,
    [property: JsonPropertyName("goal_met")] bool GoalMet);

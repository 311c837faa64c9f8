using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using Vectord.Grains.Hosting;
using Vectord.Hnsw;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Many small indexes on one silo: creates <c>--indexes</c> indexes of <c>--items</c> random <c>--dim</c>-d vectors
/// through the grains (file storage), measures what each costs in memory over the empty silo after a full
/// collection (live managed bytes, managed heap, resident set), stops the silo gracefully, starts a new one over the
/// same storage and times until every index has answered a search with its own item, then measures again. The bare
/// engine's share is measured first, on indexes built outside any silo. The fill creates every index first (timed on
/// its own: the catalog of names is written once per create) and then adds the items. Goals: at most 64 KiB per
/// index, every index answering within 60 s of the restart, all indexes created within 10 s.
/// </summary>
internal sealed class TenantsMode(TextWriter? output = null) : IBenchMode
{
    public const long MemoryGoalBytes = 64 * 1024;
    public const double RestartGoalSeconds = 60;
    public const double CreateGoalSeconds = 10;
    private const int EngineSample = 1000;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "tenants";

    public string Summary => "memory per small index (N indexes of 20 x 32-d on one silo), their creation, and a graceful restart until all answer (goals <= 64 KiB, <= 60 s, created <= 10 s)";

    public string Usage => """
          --indexes N             indexes on the silo                                             [10000]
          --items N               items per index                                                    [20]
          --dim N                 dimension of the items                                             [32]
          --callers N             calls in flight while filling and while searching after the restart [16]
          --storage-dir DIR       keep the data in DIR (file provider)        [a temporary directory, removed]
          --json FILE             append the result as one JSON object to FILE
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var shape = new TenantShape(args.GetInt("indexes", 10_000, min: 1), args.GetInt("items", 20, min: 1, max: 10_000),
            args.GetInt("dim", 32, min: 1, max: 4096));
        var callers = args.GetInt("callers", 16, min: 1, max: 1024);
        var storageDirectory = args.GetString("storage-dir");
        var jsonPath = args.GetString("json");
        args.EnsureAllUsed();
        var output = _output;
        output.WriteLine(Invariant($"indexes     {shape.Indexes} of {shape.Items} items x {shape.Dimension}-d, {callers} calls in flight"));

        using var lease = OpenStorage(storageDirectory);
        MemoryFootprint empty, loaded;
        double createSeconds, fillSeconds, stopSeconds;
        var silo = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        await using (silo.ConfigureAwait(false))
        {
            output.WriteLine($"silo        started, storage {lease.Storage.Describe()}");
            await CreateAsync(silo.Grains, shape, [shape.Indexes], 1, cancellationToken).ConfigureAwait(false);   // one-off costs (catalog, code)
            await FillAsync(silo.Grains, shape, [shape.Indexes], 1, cancellationToken).ConfigureAwait(false);
            await AnswerAllAsync(silo.Grains, shape, [shape.Indexes], 1, cancellationToken).ConfigureAwait(false);
            empty = MemoryFootprint.Measure();
            output.WriteLine(Invariant($"empty silo  {Mib(empty.LiveBytes)} MiB live, heap {Mib(empty.HeapBytes)} MiB, RSS {Mib(empty.RssBytes)} MiB"));

            var tenants = Enumerable.Range(0, shape.Indexes).ToArray();
            createSeconds = await CreateAsync(silo.Grains, shape, tenants, callers, cancellationToken).ConfigureAwait(false);
            output.WriteLine(Invariant($"created     {shape.Indexes} indexes in {createSeconds:F1} s"));
            fillSeconds = createSeconds + await FillAsync(silo.Grains, shape, tenants, callers, cancellationToken).ConfigureAwait(false);
            await AnswerAllAsync(silo.Grains, shape, tenants, callers, cancellationToken).ConfigureAwait(false);
            loaded = MemoryFootprint.Measure();
            output.WriteLine(Invariant($"filled      {shape.Indexes} indexes in {fillSeconds:F1} s; every one answers; {Mib(loaded.LiveBytes)} MiB live, heap {Mib(loaded.HeapBytes)} MiB, RSS {Mib(loaded.RssBytes)} MiB"));
            stopSeconds = Timing.Seconds(() => silo.StopAsync().GetAwaiter().GetResult());
        }
        var perIndex = loaded.PerItemSince(empty, shape.Indexes);
        output.WriteLine(Invariant($"per index   {Kib(perIndex.LiveBytes)} KiB live, {Kib(perIndex.HeapBytes)} KiB heap, {Kib(perIndex.RssBytes)} KiB RSS"));
        output.WriteLine(Invariant($"stop        graceful, {stopSeconds:F1} s (a snapshot per index with log records)"));

        var restart = await RestartAsync(lease.Storage, shape, callers, empty, cancellationToken).ConfigureAwait(false);
        // Last, so that the memory it takes and gives back is not in the silo's figures.
        var engine = MeasureEngine(shape);
        output.WriteLine(Invariant($"engine      {Kib(engine.LiveBytes)} KiB live per bare HnswIndex of {shape.Items} items ({Math.Min(EngineSample, shape.Indexes)} built outside the silo)"));
        output.WriteLine();

        var met = perIndex.LiveBytes <= MemoryGoalBytes && perIndex.RssBytes <= MemoryGoalBytes && restart.AnsweringSeconds <= RestartGoalSeconds
            && createSeconds <= CreateGoalSeconds;
        var table = new TextTable(new("figure", 34, false), new("measured", 12), new("goal", 10), new("verdict", 7, false));
        table.WriteHeader(output);
        table.WriteRow(output, "managed heap per index (live)", Kib(perIndex.LiveBytes) + " KiB", "<= 64 KiB", Verdict(perIndex.LiveBytes <= MemoryGoalBytes));
        table.WriteRow(output, "RSS per index", Kib(perIndex.RssBytes) + " KiB", "<= 64 KiB", Verdict(perIndex.RssBytes <= MemoryGoalBytes));
        table.WriteRow(output, Invariant($"create {shape.Indexes} indexes"), Invariant($"{createSeconds:F1} s"), "<= 10 s", Verdict(createSeconds <= CreateGoalSeconds));
        table.WriteRow(output, "restart until all answer", Invariant($"{restart.AnsweringSeconds:F1} s"), "<= 60 s", Verdict(restart.AnsweringSeconds <= RestartGoalSeconds));
        table.WriteRow(output, "managed per index after restart", Kib(restart.PerIndex.LiveBytes) + " KiB", "", "");
        table.WriteRow(output, "RSS per index after restart", Kib(restart.PerIndex.RssBytes) + " KiB", "", "");
        if (jsonPath is not null)
        {
            JsonLines.Append(jsonPath, new TenantsResult(Name, shape.Indexes, shape.Items, shape.Dimension, lease.Storage.Provider,
                Math.Round(createSeconds, 3), Math.Round(fillSeconds, 3), engine.LiveBytes, perIndex.LiveBytes, perIndex.HeapBytes, perIndex.RssBytes,
                Math.Round(stopSeconds, 3), Math.Round(restart.StartSeconds, 3), Math.Round(restart.AnsweringSeconds, 3),
                Math.Round(restart.PreloadSeconds, 3), restart.PerIndex.LiveBytes, restart.PerIndex.RssBytes, MemoryGoalBytes,
                RestartGoalSeconds, CreateGoalSeconds, met));
        }
        return 0;
    }

    /// <summary>Starts a new silo over the storage and times until every index (the warm-up one too) has answered;
    /// then measures the memory per index over <paramref name="empty"/>, the first silo's.</summary>
    private async Task<RestartFigures> RestartAsync(BenchStorage storage, TenantShape shape, int callers, MemoryFootprint empty,
        CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var silo = await BenchSilo.StartAsync(storage, cancellationToken).ConfigureAwait(false);
        await using (silo.ConfigureAwait(false))
        {
            var startSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var all = Enumerable.Range(0, shape.Indexes + 1).ToArray();
            await AnswerAllAsync(silo.Grains, shape, all, callers, cancellationToken).ConfigureAwait(false);
            var answeringSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var preloaded = await silo.Services.GetRequiredService<IndexPreloader>().Completion.ConfigureAwait(false);
            var preloadSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var restarted = MemoryFootprint.Measure();
            var perIndex = restarted.PerItemSince(empty, shape.Indexes);
            _output.WriteLine(Invariant($"restart     silo start {startSeconds:F1} s; all {all.Length} indexes answered at {answeringSeconds:F1} s; preload ({preloaded} loaded) done at {preloadSeconds:F1} s"));
            _output.WriteLine(Invariant($"after       {Mib(restarted.LiveBytes)} MiB live, RSS {Mib(restarted.RssBytes)} MiB: {Kib(perIndex.LiveBytes)} KiB live, {Kib(perIndex.RssBytes)} KiB RSS per index over the empty silo"));
            return new RestartFigures(startSeconds, answeringSeconds, preloadSeconds, perIndex);
        }
    }

    /// <summary>Live bytes per bare engine index of the shape's items, over a sample of such indexes.</summary>
    private static MemoryFootprint MeasureEngine(TenantShape shape)
    {
        var count = Math.Min(EngineSample, shape.Indexes);
        var before = MemoryFootprint.Measure();
        var indexes = new HnswIndex[count];
        for (var t = 0; t < count; t++)
        {
            indexes[t] = new HnswIndex(new HnswOptions(shape.Dimension, DistanceKind.Euclidean));
            indexes[t].AddBatch([.. shape.Vectors(t).Select((v, i) => new VectorItem(TenantShape.ItemId(i), v))], 1);
        }
        var after = MemoryFootprint.Measure();
        GC.KeepAlive(indexes);
        return after.PerItemSince(before, count);
    }

    /// <summary>Creates the tenants' indexes, <paramref name="callers"/> at a time.</summary>
    private static async Task<double> CreateAsync(IGrainFactory grains, TenantShape shape, int[] tenants, int callers, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = cancellationToken }, async (t, _) =>
            await grains.GetGrain<IVectorIndexGrain>(TenantShape.Name(t)).CreateAsync(new IndexSpec(shape.Dimension, Distance: IndexDistance.Euclidean))
                .ConfigureAwait(false)).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Adds the tenants' items to their indexes, <paramref name="callers"/> at a time.</summary>
    private static async Task<double> FillAsync(IGrainFactory grains, TenantShape shape, int[] tenants, int callers, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = cancellationToken }, async (t, _) =>
        {
            var grain = grains.GetGrain<IVectorIndexGrain>(TenantShape.Name(t));
            var added = await grain.AddAsync([.. shape.Vectors(t).Select((v, i) => new IndexItem(TenantShape.ItemId(i), v))]).ConfigureAwait(false);
            if (added.Length != shape.Items) { throw new BenchException($"{TenantShape.Name(t)} holds {added.Length} items, not {shape.Items}"); }
        }).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Searches every tenant's index for one of its own items until it answers (an index still loading may
    /// refuse for a moment; at most 5 minutes) and checks that the item comes first, at distance 0.</summary>
    private static Task AnswerAllAsync(IGrainFactory grains, TenantShape shape, int[] tenants, int callers, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = cancellationToken }, async (t, ct) =>
        {
            var grain = grains.GetGrain<IVectorIndexGrain>(TenantShape.Name(t));
            var probe = t % shape.Items;
            var deadline = Stopwatch.GetTimestamp() + (300 * Stopwatch.Frequency);
            while (true)
            {
                try
                {
                    var hits = await grain.SearchAsync(shape.Vectors(t)[probe], Math.Min(K, shape.Items)).ConfigureAwait(false);
                    if (hits.Length != Math.Min(K, shape.Items) || hits[0].Id != TenantShape.ItemId(probe) || hits[0].Distance != 0)
                    {
                        throw new BenchException($"{TenantShape.Name(t)} answered {hits.Length} hits, first {(hits.Length > 0 ? hits[0].Id : "none")}, not item {probe}");
                    }
                    return;
                }
                catch (Exception e) when (e is StorageUnavailableException or TimeoutException && Stopwatch.GetTimestamp() < deadline)
                {
                    await Task.Delay(10, ct).ConfigureAwait(false);
                }
            }
        });

    private static StorageLease OpenStorage(string? directory)
    {
        var temporary = directory is null;
        var path = Path.GetFullPath(directory ?? Path.Combine(Path.GetTempPath(), "vectord-bench-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(path);
        return new StorageLease(new BenchStorage(path, null) { SnapshotOnStop = true }, temporary ? path : null);
    }

    private static string Kib(long bytes) => Invariant($"{bytes / 1024.0:F1}");

    private static string Mib(long bytes) => Invariant($"{bytes / (1024.0 * 1024.0):F1}");

    private readonly record struct RestartFigures(double StartSeconds, double AnsweringSeconds, double PreloadSeconds, MemoryFootprint PerIndex);
}

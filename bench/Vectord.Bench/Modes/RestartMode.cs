using System.Diagnostics;
using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Recovery time: ingests the data set through the grain (the build), stops the silo gracefully (every activation
/// is deactivated; with <c>--snapshot-on-stop</c> the index writes a snapshot then), starts a new silo on the same storage and times from its start until the first search returns
/// (silo start-up, re-activation from the snapshot and replay of the later log records). Also checks that searches
/// answer the same before and after. Goal: restart time at most 0.1× the build time.
/// </summary>
internal sealed class RestartMode(TextWriter? output = null) : IBenchMode
{
    public const double Goal = 0.1;
    private const int CheckedQueries = 20;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "restart";

    public string Summary => "time from a new silo's start to the first search on an existing index, vs the build time (goal <= 0.1x)";

    public string Usage => ServiceOptions.CommonUsage;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: false);
        args.EnsureAllUsed();
        var output = _output;

        var dataset = options.LoadDataset();
        var n = dataset.Base.Length;
        var batches = GrainBatches(dataset, options.Batch);
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} vectors, dim {dataset.Dimension}, batches of {options.Batch}"));
        var probes = Enumerable.Range(0, CheckedQueries).Select(i => dataset.Base[i * 7919 % n]).ToArray();

        using var lease = options.OpenStorage();
        var name = ServiceOptions.NewIndexName(Name);
        double buildSeconds, stopSeconds;
        SearchHit[][] before;
        StorageWriteCounts written, afterStop;
        {
            var silo = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
            await using (silo.ConfigureAwait(false))
            {
                output.WriteLine($"silo        started, storage {lease.Storage.Describe()}");
                buildSeconds = await IngestAsync(silo.Grains, name, options.Spec(dataset.Dimension), batches, cancellationToken).ConfigureAwait(false);
                output.WriteLine(Invariant($"build       {n} vectors through the grain: {buildSeconds:F2} s"));
                before = await SearchAllAsync(silo.Grains.GetGrain<IVectorIndexGrain>(name), probes).ConfigureAwait(false);
                written = silo.Store.Counts;
                stopSeconds = Timing.Seconds(() => silo.StopAsync().GetAwaiter().GetResult());
                afterStop = silo.Store.Counts;
            }
        }
        var stopSnapshots = afterStop.SnapshotWrites - written.SnapshotWrites;
        output.WriteLine(Invariant($"stop        {stopSeconds:F2} s, {stopSnapshots} snapshot(s) written while stopping; during the build {written.SnapshotWrites} snapshot(s) and {written.LogWrites} log records"));

        // What the restarted silo then holds for the index: the process's memory before it starts and once it answers.
        var idle = MemoryFootprint.Measure();
        var start = Stopwatch.GetTimestamp();
        var second = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        await using (second.ConfigureAwait(false))
        {
            var startSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var grain = second.Grains.GetGrain<IVectorIndexGrain>(name);
            var first = await FirstSearchAsync(grain, probes[0], cancellationToken).ConfigureAwait(false);
            var restartSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var firstSearchSeconds = restartSeconds - startSeconds;

            var after = await SearchAllAsync(grain, probes).ConfigureAwait(false);
            var info = await grain.GetInfoAsync().ConfigureAwait(false);
            if (info.Length != n)
            {
                throw new BenchException($"after the restart the index holds {info.Length} items, not {n}");
            }
            var same = before.Zip(after).Count(p => p.First.Select(h => h.Id).SequenceEqual(p.Second.Select(h => h.Id)));
            if (same != probes.Length || first.Length != before[0].Length)
            {
                throw new BenchException($"only {same} of {probes.Length} searches answer the same after the restart");
            }

            var held = MemoryFootprint.Measure().PerItemSince(idle, n);
            // The heap's live objects only: the process keeps memory the first silo freed, so its resident set says little here.
            output.WriteLine(Invariant($"silo memory after the restart: managed heap {held.LiveBytes} bytes per vector (quantization {options.Quantization.ToString().ToLowerInvariant()}, on_disk {options.OnDisk.ToString().ToLowerInvariant()})"));
            var ratio = restartSeconds / buildSeconds;
            output.WriteLine(Invariant($"restart     silo start {startSeconds:F2} s + first search {firstSearchSeconds:F2} s (activation: snapshot + log replay) = {restartSeconds:F2} s; {same}/{probes.Length} searches identical"));
            output.WriteLine();
            var table = new TextTable(new("n", 6), new("build s", 8), new("restart s", 9), new("ratio", 6), new("goal", 6), new("verdict", 7, false));
            table.WriteHeader(output);
            table.WriteRow(output, Invariant($"{n}"), Invariant($"{buildSeconds:F2}"), Invariant($"{restartSeconds:F2}"),
                Invariant($"{ratio:F3}x"), Invariant($"<={Goal:F1}x"), Verdict(ratio <= Goal));
            if (options.JsonPath is not null)
            {
                JsonLines.Append(options.JsonPath, new RestartResult(Name, dataset.Name, options.DistanceName, n, dataset.Dimension, options.Batch,
                    lease.Storage.Provider, Math.Round(buildSeconds, 3), Math.Round(stopSeconds, 3),
                    Math.Round(startSeconds, 3), Math.Round(firstSearchSeconds, 3), Math.Round(restartSeconds, 3), written.SnapshotWrites,
                    written.LogWrites, stopSnapshots, options.SnapshotOnStop, Math.Round(ratio, 4), Goal, ratio <= Goal,
                    options.Quantization.ToString().ToLowerInvariant(), options.OnDisk, held.LiveBytes));
            }
        }
        return 0;
    }

    private static async Task<SearchHit[][]> SearchAllAsync(IVectorIndexGrain grain, float[][] queries)
    {
        var results = new SearchHit[queries.Length][];
        for (var i = 0; i < queries.Length; i++)
        {
            results[i] = await grain.SearchAsync(queries[i], K).ConfigureAwait(false);
        }
        return results;
    }

    /// <summary>Searches until a call succeeds (at most 5 minutes): the first one activates the index.</summary>
    private static async Task<SearchHit[]> FirstSearchAsync(IVectorIndexGrain grain, float[] query, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(300 * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                return await grain.SearchAsync(query, K).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StorageUnavailableException or TimeoutException && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>One JSON line of the <c>restart</c> mode.</summary>
internal sealed record RestartResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("build_seconds")] double BuildSeconds,
    [property: JsonPropertyName("stop_seconds")] double StopSeconds,
    [property: JsonPropertyName("silo_start_seconds")] double SiloStartSeconds,
    [property: JsonPropertyName("first_search_seconds")] double FirstSearchSeconds,
    [property: JsonPropertyName("restart_seconds")] double RestartSeconds,
    [property: JsonPropertyName("snapshots_written")] long SnapshotsWritten,
    [property: JsonPropertyName("log_records_written")] long LogRecordsWritten,
    [property: JsonPropertyName("snapshots_on_stop")] long SnapshotsOnStop,
    [property: JsonPropertyName("snapshot_on_deactivate")] bool SnapshotOnDeactivate,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("goal")] double Goal,
    [property: JsonPropertyName("goal_met")] bool GoalMet,
    [property: JsonPropertyName("quantization")] string Quantization,
    [property: JsonPropertyName("on_disk")] bool OnDisk,
    [property: JsonPropertyName("silo_heap_bytes_per_vector")] long SiloHeapBytesPerVector);

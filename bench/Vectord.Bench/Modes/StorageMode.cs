using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Bench.Service;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// Write amplification of durable ingest: adds the data set through the index grain of an in-process silo in
/// batches, counts every byte the grain hands to storage (log records, snapshots, state documents; including objects
/// that compaction deletes later) and divides by the number of vectors. Goal: at most 3× the raw vector size.
/// </summary>
internal sealed class StorageMode(TextWriter? output = null) : IBenchMode
{
    public const double Goal = 3.0;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "storage";

    public string Summary => "bytes written to storage per vector while ingesting through the grain, vs raw vector bytes (goal <= 3x)";

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

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"silo        started, storage {lease.Storage.Describe()}");

        var name = ServiceOptions.NewIndexName(Name);
        var seconds = await IngestAsync(silo.Grains, name, options.Spec(dataset.Dimension), batches, cancellationToken).ConfigureAwait(false);
        var written = silo.Store.Counts;
        var atRest = (await silo.Store.ListAsync($"indexes/{name}/", cancellationToken).ConfigureAwait(false)).Sum(o => o.Length);

        var raw = dataset.Dimension * sizeof(float);
        var perVector = (double)written.TotalBytes / n;
        var ratio = perVector / raw;
        output.WriteLine(Invariant($"ingest      {n} vectors in {batches.Length} adds: {seconds:F2} s, {n / seconds:F0} vectors/s"));
        output.WriteLine(Invariant($"written     log {Mib(written.LogBytes)} MiB in {written.LogWrites} records, snapshots {Mib(written.SnapshotBytes)} MiB in {written.SnapshotWrites}, state documents {written.DocumentBytes / 1024.0:F1} KiB in {written.DocumentWrites}"));
        output.WriteLine(Invariant($"at rest     {Mib(atRest)} MiB ({(double)atRest / n:F0} bytes/vector) in the index's storage after ingest"));
        output.WriteLine();
        var table = new TextTable(new("n", 6), new("written MiB", 11), new("bytes/vector", 12), new("raw bytes", 9), new("ratio", 6), new("goal", 6), new("verdict", 7, false));
        table.WriteHeader(output);
        table.WriteRow(output, Invariant($"{n}"), Mib(written.TotalBytes), Invariant($"{perVector:F0}"), Invariant($"{raw}"),
            Invariant($"{ratio:F2}x"), Invariant($"<={Goal:F0}x"), Verdict(ratio <= Goal));

        if (options.JsonPath is not null)
        {
            JsonLines.Append(options.JsonPath, new StorageResult(Name, dataset.Name, options.DistanceName, n, dataset.Dimension, options.Batch,
                lease.Storage.Provider, Math.Round(seconds, 3),
                written.LogBytes, written.SnapshotBytes, written.DocumentBytes, written.SnapshotWrites, written.TotalBytes,
                Math.Round(perVector, 1), raw, Math.Round(ratio, 3), Goal, ratio <= Goal, atRest,
                options.SnapshotRatio ?? new Vectord.Grains.Hosting.VectordStorageOptions().SnapshotLogRatio));
        }
        return 0;
    }

    private static string Mib(long bytes) => Invariant($"{bytes / (1024.0 * 1024.0):F1}");
}

/// <summary>One JSON line of the <c>storage</c> mode.</summary>
internal sealed record StorageResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("ingest_seconds")] double IngestSeconds,
    [property: JsonPropertyName("log_bytes")] long LogBytes,
    [property: JsonPropertyName("snapshot_bytes")] long SnapshotBytes,
    [property: JsonPropertyName("document_bytes")] long DocumentBytes,
    [property: JsonPropertyName("snapshots")] long Snapshots,
    [property: JsonPropertyName("bytes_written")] long BytesWritten,
    [property: JsonPropertyName("bytes_per_vector")] double BytesPerVector,
    [property: JsonPropertyName("raw_bytes_per_vector")] int RawBytesPerVector,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("goal")] double Goal,
    [property: JsonPropertyName("goal_met")] bool GoalMet,
    [property: JsonPropertyName("bytes_at_rest")] long BytesAtRest,
    [property: JsonPropertyName("snapshot_ratio")] double SnapshotRatio);

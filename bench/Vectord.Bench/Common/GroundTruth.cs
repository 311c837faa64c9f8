using System.Globalization;
using Vectord.Bench.Data;
using Vectord.Hnsw;

namespace Vectord.Bench.Common;

/// <summary>The exact top-k of a data set's queries: from the on-disk cache when present, else by a parallel scan.</summary>
internal static class GroundTruth
{
    /// <summary>Returns the exact top-<paramref name="k"/> base indices of every query, nearest first. Writes one
    /// line to <paramref name="log"/> saying where they came from. With <paramref name="cache"/> null nothing is
    /// read or stored.</summary>
    public static int[][] GetOrCompute(Dataset dataset, PreparedVectors prepared, DistanceKind distance, int k,
        GroundTruthCache? cache, TextWriter log, CancellationToken cancellationToken)
    {
        if (cache?.TryLoad(dataset, distance, k) is { } cached)
        {
            log.WriteLine($"exact top-{k} read from {cache.PathFor(dataset, distance, k)}");
            return cached;
        }
        var threads = Environment.ProcessorCount;
        var (truth, seconds) = Timing.Measure(() =>
            ExactSearch.TopK(prepared.Base, prepared.Queries, k, distance, threads, cancellationToken));
        var where = "not cached";
        if (cache is not null)
        {
            cache.Save(dataset, distance, k, truth);
            where = "cached in " + cache.PathFor(dataset, distance, k);
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact top-{k} computed in {seconds:F1} s on {threads} threads, {where}"));
        return truth;
    }
}

/// <summary>Base and query vectors as the exact scan wants them (see <see cref="ExactSearch.Prepare"/>).</summary>
internal sealed class PreparedVectors(Dataset dataset, DistanceKind distance)
{
    public float[][] Base { get; } = ExactSearch.Prepare(dataset.Base, distance, "base");

    public float[][] Queries { get; } = ExactSearch.Prepare(dataset.Queries, distance, "query");
}

using System.Numerics.Tensors;
using Vectord.Hnsw;

namespace Vectord.Bench.Common;

/// <summary>
/// Exact k-nearest-neighbour search by a full scan, the reference the approximate index is measured against.
/// Distances follow the engine's definitions: L2 for euclidean, 1 − cos for cosine (vectors are normalised
/// once by <see cref="Prepare"/>), −dot for dot. Ties are broken by the lower base index.
/// </summary>
internal static class ExactSearch
{
    /// <summary>Queries handled together by one worker: each base vector is read once per block, not once per query.</summary>
    private const int QueryBlock = 8;

    /// <summary>The vectors as the scan wants them: unit-normalised copies under cosine, the same arrays otherwise.</summary>
    /// <exception cref="BenchException">A zero vector under cosine distance.</exception>
    public static float[][] Prepare(float[][] vectors, DistanceKind distance, string what)
    {
        if (distance != DistanceKind.Cosine)
        {
            return vectors;
        }
        var result = new float[vectors.Length][];
        for (var i = 0; i < vectors.Length; i++)
        {
            var norm = TensorPrimitives.Norm<float>(vectors[i]);
            if (norm == 0 || !float.IsFinite(norm))
            {
                throw new BenchException($"{what} vector {i} has norm {norm}: cosine distance is undefined for it");
            }
            var unit = new float[vectors[i].Length];
            TensorPrimitives.Divide(vectors[i], norm, unit);
            result[i] = unit;
        }
        return result;
    }

    /// <summary>The distance between two prepared vectors.</summary>
    public static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, DistanceKind distance) => distance switch
    {
        DistanceKind.Euclidean => TensorPrimitives.Distance(a, b),
        DistanceKind.Cosine => 1f - TensorPrimitives.Dot(a, b),
        DistanceKind.Dot => -TensorPrimitives.Dot(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, "unknown distance"),
    };

    /// <summary>The indices of the <paramref name="k"/> nearest base vectors of every query, nearest first,
    /// computed on up to <paramref name="threads"/> threads. All vectors must be prepared.</summary>
    public static int[][] TopK(float[][] baseVectors, float[][] queries, int k, DistanceKind distance, int threads,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var result = new int[queries.Length][];
        var blocks = (queries.Length + QueryBlock - 1) / QueryBlock;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, blocks, options, block =>
        {
            var first = block * QueryBlock;
            var count = Math.Min(QueryBlock, queries.Length - first);
            var heaps = new TopKList[count];
            for (var q = 0; q < count; q++)
            {
                heaps[q] = new TopKList(k);
            }
            for (var i = 0; i < baseVectors.Length; i++)
            {
                var candidate = baseVectors[i];
                for (var q = 0; q < count; q++)
                {
                    heaps[q].Offer(i, Distance(queries[first + q], candidate, distance));
                }
            }
            for (var q = 0; q < count; q++)
            {
                result[first + q] = heaps[q].ToIndices();
            }
        });
        return result;
    }

    /// <summary>The <paramref name="k"/> nearest base vectors of one query on the calling thread: what a service
    /// without an index does per request.</summary>
    public static int[] TopK(float[][] baseVectors, float[] query, int k, DistanceKind distance)
    {
        var heap = new TopKList(k);
        for (var i = 0; i < baseVectors.Length; i++)
        {
            heap.Offer(i, Distance(query, baseVectors[i], distance));
        }
        return heap.ToIndices();
    }

    /// <summary>The k best (index, distance) pairs seen so far, kept sorted; indices arrive in ascending order, so
    /// inserting only when strictly better keeps the lower index first among equal distances.</summary>
    private sealed class TopKList(int k)
    {
        private readonly int[] _indices = new int[k];
        private readonly float[] _distances = new float[k];
        private int _count;

        public void Offer(int index, float distance)
        {
            if (_count == _indices.Length)
            {
                if (!(distance < _distances[_count - 1]))
                {
                    return;
                }
                _count--;
            }
            var at = _count;
            while (at > 0 && distance < _distances[at - 1])
            {
                _indices[at] = _indices[at - 1];
                _distances[at] = _distances[at - 1];
                at--;
            }
            _indices[at] = index;
            _distances[at] = distance;
            _count++;
        }

        public int[] ToIndices() => _indices.AsSpan(0, _count).ToArray();
    }
}

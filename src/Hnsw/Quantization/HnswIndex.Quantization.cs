using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vectord.Hnsw.Distance;
using Vectord.Hnsw.Graph;
using Vectord.Hnsw.Quantization;

namespace Vectord.Hnsw;

/// <summary>
/// Int8 quantization (<see cref="QuantizationKind.Int8"/>): every slot's vector also kept as one byte a component
/// (<see cref="ScalarQuantizer"/>) in <see cref="_codes"/>, rows of <see cref="_codeStride"/> bytes (the codes, zero
/// padding, and at the end the float norm the squared-L2 estimate needs). Searches walk the graph on the codes and
/// rescore the beam's results with the float vectors; the build links nodes on the float vectors.
/// </summary>
/// <remarks>
/// <para><b>Training and drift.</b> Until the index first holds <see cref="TrainingStart"/> live items it has no
/// quantizer and searches on the floats. From then on, after each <see cref="AddBatch"/> that leaves at least twice
/// as many live items as the last training used, the quantizer is trained again on the first
/// <see cref="TrainingSample"/> live slots (lowest first: the earliest inserts still present) and every slot is coded
/// again; once a training has used <see cref="TrainingSample"/> items it is kept. A value outside a dimension's trained
/// range takes the nearest end's code (clamps): the graph walk then sees that vector a little wrong, and the rescoring
/// with the floats still orders and reports the results exactly. A loaded index keeps the saved quantizer and codes.
/// Retraining from scratch happens when the index is emptied (the last live item deleted) or built again from its
/// items (a restore into another shard count, a replay of the log into a new index).</para>
/// <para><b>Readers.</b> The codes are written only where the float vectors are (inside the writer's turn in the
/// gate); a new quantizer and its codes are made outside the gate and published together inside it, as grown arrays
/// are. A search reads <see cref="_quantizer"/> and <see cref="_codes"/> once inside its read scope, so it walks one
/// consistent coding.</para>
/// </remarks>
public sealed partial class HnswIndex
{
    /// <summary>Live items an index must hold before its quantizer is first trained.</summary>
    internal const int TrainingStart = 256;

    /// <summary>Most vectors a training uses.</summary>
    internal const int TrainingSample = 10_000;

    private ScalarQuantizer? _quantizer;
    private byte[] _codes = [];
    private int _trainedOn;

    /// <summary>Bytes of one slot's row of codes: the codes and a float norm, rounded up to 16.</summary>
    private static int CodeStride(int dimension) => (dimension + sizeof(float) + 15) & ~15;

    /// <summary>True once the index searches on codes (a quantizer is trained).</summary>
    internal bool IsQuantized => _quantizer is not null;

    /// <summary>Trains the quantizer again when the live count calls for it (see the remarks); called by the writer
    /// after each batch, outside the gate.</summary>
    private void TrainQuantizerWhenDue()
    {
        if (_options.Quantization != QuantizationKind.Int8 || _trainedOn >= TrainingSample
            || _liveCount < Math.Max(TrainingStart, 2L * _trainedOn))
        {
            return;
        }
        int[] sample = ScalarQuantizer.FirstLive(_deleted.AsSpan(0, _slotCount), TrainingSample);
        var quantizer = ScalarQuantizer.Train(_vectors.Slice(0, _slotCount * _dim), _dim, sample);
        byte[] codes = new byte[(long)_capacity * _codeStride];
        for (int slot = 0; slot < _slotCount; slot++)
        {
            Encode(quantizer, slot, codes);                   // tombstones too: they route searches
        }
        using var writing = Exclusive();
        (_quantizer, _codes) = (quantizer, codes);
        _trainedOn = sample.Length;
    }

    /// <summary>Forgets the quantizer (the index was emptied): the next inserts train a new one.</summary>
    private void ForgetQuantizer()
    {
        (_quantizer, _codes) = (null, []);
        _trainedOn = 0;
    }

    /// <summary>Writes the codes of <paramref name="slot"/>'s stored vector, and under euclidean their norm, into its row.</summary>
    private void Encode(ScalarQuantizer quantizer, int slot, byte[] codes)
    {
        Span<byte> row = codes.AsSpan(slot * _codeStride, _codeStride);
        quantizer.Encode(VectorOf(slot), row[.._dim]);
        SetCodeNorm(quantizer, row);
    }

    /// <summary>Sets the norm at the end of a row from its codes (0 unless euclidean, which alone uses it).</summary>
    private void SetCodeNorm(ScalarQuantizer quantizer, Span<byte> row)
    {
        float norm = _kind == DistanceKind.Euclidean ? quantizer.CodeNorm(row[.._dim]) : 0f;
        MemoryMarshal.Write(row[^sizeof(float)..], in norm);
    }

    /// <summary>Estimated distances from <paramref name="query"/> to the codes, its weights in the thread's scratch.</summary>
    private CodeDistance CodeDistanceTo(ref float query, SearchScratch scratch)
    {
        ScalarQuantizer quantizer = _quantizer!;
        Span<short> weights = SearchScratch.Take(ref scratch.Weights, _dim);
        bool l2 = _kind == DistanceKind.Euclidean;
        float unit = quantizer.PrepareQuery(MemoryMarshal.CreateReadOnlySpan(ref query, _dim), l2, weights);
        return new CodeDistance(ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetArrayDataReference(_codes),
            _dim, _codeStride, l2 ? 2f * unit : unit, l2 ? 1f : 0f);
    }

    /// <summary>Replaces the estimated distances in <paramref name="results"/> (a walk on the codes) with the float
    /// ones and keeps the <paramref name="k"/> nearest by them: the results then carry exact float distances.</summary>
    [SkipLocalsInit]
    private void Rescore<TSpace>(ref float query, int k, ref CandidateHeap<FarthestFirst> results, SearchScratch scratch) where TSpace : struct, ISpace
    {
        Span<Candidate> found = SearchScratch.Take(ref scratch.Sorted, results.Count);
        results.Items.CopyTo(found);
        results.Clear();
        var floats = FloatDistanceTo<TSpace>(ref query);
        if (found.Length > 0)
        {
            floats.Prefetch(found[0].Node);
        }
        for (int i = 0; i < found.Length; i++)
        {
            if (i + 1 < found.Length)
            {
                floats.Prefetch(found[i + 1].Node);
            }
            int node = found[i].Node;
            float d = floats.To(node);
            if (results.Count < k)
            {
                results.Push(d, node);
            }
            else if (d < results.Top.Distance)
            {
                results.Pop();
                results.Push(d, node);
            }
        }
    }
}

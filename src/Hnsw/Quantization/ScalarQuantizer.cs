using System.Globalization;
using System.Runtime.InteropServices;
using Vectord.Hnsw.Distance;

namespace Vectord.Hnsw.Quantization;

/// <summary>
/// Per-dimension scalar quantization to one unsigned byte: component j of a vector is coded as
/// <c>c = round((x − low[j]) / step[j])</c> clamped to 0 … 255, and stands for <c>low[j] + step[j] · c</c>. The
/// range of each dimension spans a training sample's values but the most extreme 0.1% at each end (one value at least) (a value outside
/// it, in the sample or later, clamps to the nearest end); a dimension that was constant in the sample has step 0
/// and code 0. Immutable once made.
/// </summary>
/// <remarks>
/// The search compares a float query with codes asymmetrically, without quantizing the query's own values:
/// <list type="bullet">
/// <item>dot (and cosine on unit vectors): <c>q·x ≈ Σ q[j]·low[j] + Σ (q[j]·step[j]) · c[j]</c>;</item>
/// <item>squared L2: <c>|q − x|² ≈ Σ (q[j] − low[j])² − 2 Σ step[j]·(q[j] − low[j]) · c[j] + Σ (step[j]·c[j])²</c>,
/// whose last term is the vector's own and is kept with its codes (<see cref="CodeNorm"/>).</item>
/// </list>
/// In both, the part that varies with the vector is a weighted sum of its codes; the weights are scaled to 16-bit
/// integers once a query (<see cref="PrepareQuery"/>), so each comparison is one integer dot product
/// (<see cref="QuantizedDistance"/>). Terms that depend on the query alone are left out: the result orders the
/// vectors, it is not itself a distance.
/// </remarks>
internal sealed class ScalarQuantizer
{
    /// <summary>Codes a component can take: 0 … <see cref="Levels"/>.</summary>
    private const int Levels = 255;

    /// <summary>Share of a training sample, at each end of every dimension, left outside the dimension's range (at
    /// least one value of a sample of three or more).</summary>
    internal const double ClipShare = 0.001;

    private readonly float[] _low;
    private readonly float[] _step;
    private readonly float[] _inverseStep;

    /// <summary>A quantizer of the given ranges (as trained, or as read back from a saved index).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length, or a value is not finite, or a step negative.</exception>
    public ScalarQuantizer(float[] low, float[] step)
    {
        if (low.Length != step.Length || low.Length == 0)
        {
            throw new ArgumentException("low and step must be equally long and not empty");
        }
        for (int j = 0; j < low.Length; j++)
        {
            if (!float.IsFinite(low[j]) || !float.IsFinite(step[j]) || step[j] < 0f)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"bad range of dimension {j}: low {low[j]}, step {step[j]}"));
            }
        }
        _low = low;
        _step = step;
        _inverseStep = new float[step.Length];
        for (int j = 0; j < step.Length; j++)
        {
            _inverseStep[j] = step[j] > 0f ? 1f / step[j] : 0f;
        }
    }

    /// <summary>The number of components.</summary>
    public int Dimension => _low.Length;

    /// <summary>The lowest value of each dimension (code 0).</summary>
    public ReadOnlySpan<float> Low => _low;

    /// <summary>The value one code step stands for, per dimension.</summary>
    public ReadOnlySpan<float> Step => _step;

    /// <summary>Trains on the vectors of <paramref name="dimension"/> floats whose slots <paramref name="sample"/>
    /// lists (the first N live ones): the range of each dimension runs from the sample's <see cref="ClipShare"/>
    /// quantile to its 1 − <see cref="ClipShare"/> quantile, so that a few outliers cannot stretch it over the values
    /// that matter (they take the nearest end's code instead).</summary>
    public static ScalarQuantizer Train(ReadOnlySpan<float> vectors, int dimension, ReadOnlySpan<int> sample)
    {
        var low = new float[dimension];
        var step = new float[dimension];
        if (sample.IsEmpty)
        {
            return new ScalarQuantizer(low, step);             // every code 0
        }
        int clipped = Math.Min(Math.Max(1, (int)(sample.Length * ClipShare)), (sample.Length - 1) / 2);
        var column = new float[sample.Length];
        for (int j = 0; j < dimension; j++)
        {
            for (int n = 0; n < sample.Length; n++)
            {
                column[n] = vectors[(sample[n] * dimension) + j];
            }
            low[j] = Select(column, clipped);
            float high = Select(column, sample.Length - 1 - clipped);
            step[j] = (high - low[j]) / Levels;
        }
        return new ScalarQuantizer(low, step);
    }

    /// <summary>The value of rank <paramref name="rank"/> (0 = smallest) in <paramref name="values"/>, which it
    /// reorders (Hoare's selection: linear on average).</summary>
    private static float Select(Span<float> values, int rank)
    {
        int left = 0;
        int right = values.Length - 1;
        while (left < right)
        {
            float pivot = values[left + ((right - left) / 2)];
            int i = left;
            int j = right;
            while (i <= j)
            {
                while (values[i] < pivot) { i++; }
                while (values[j] > pivot) { j--; }
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (rank <= j) { right = j; }
            else if (rank >= i) { left = i; }
            else { break; }
        }
        return values[rank];
    }

    /// <summary>Codes <paramref name="vector"/> into <paramref name="codes"/> (as long as the dimension).</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        for (int j = 0; j < _low.Length; j++)
        {
            float c = MathF.Round((vector[j] - _low[j]) * _inverseStep[j]);
            codes[j] = (byte)Math.Clamp(c, 0f, Levels);
        }
    }

    /// <summary>Σ (step[j] · codes[j])²: the vector's own term of the squared L2 estimate.</summary>
    public float CodeNorm(ReadOnlySpan<byte> codes)
    {
        double sum = 0;
        for (int j = 0; j < _low.Length; j++)
        {
            double x = (double)_step[j] * codes[j];
            sum += x * x;
        }
        return (float)sum;
    }

    /// <summary>
    /// The integer weights of a query, written to <paramref name="weights"/>: <c>step[j]·q[j]</c> for dot products,
    /// <c>step[j]·(q[j] − low[j])</c> for squared L2, scaled so that the largest is <see cref="QuantizedDistance.MaxWeight"/>.
    /// Returns the value of one weight unit: Σ weight·code times it estimates the weighted sum of the remarks.
    /// </summary>
    public float PrepareQuery(ReadOnlySpan<float> query, bool l2, Span<short> weights)
    {
        int n = _low.Length;
        Span<float> w = n <= 1024 ? stackalloc float[n] : new float[n];
        float largest = 0f;
        for (int j = 0; j < n; j++)
        {
            w[j] = _step[j] * (l2 ? query[j] - _low[j] : query[j]);
            largest = MathF.Max(largest, MathF.Abs(w[j]));
        }
        if (largest == 0f || !float.IsFinite(largest))
        {
            weights[..n].Clear();
            return 0f;
        }
        int max = QuantizedDistance.MaxWeight(n);
        float scale = max / largest;
        for (int j = 0; j < n; j++)
        {
            weights[j] = (short)Math.Clamp(MathF.Round(w[j] * scale), -max, max);
        }
        return largest / max;
    }

    /// <summary>The slots of the first <paramref name="limit"/> live vectors, in slot order.</summary>
    public static int[] FirstLive(ReadOnlySpan<bool> deleted, int limit)
    {
        var sample = new List<int>(Math.Min(limit, deleted.Length));
        for (int i = 0; i < deleted.Length && sample.Count < limit; i++)
        {
            if (!deleted[i])
            {
                sample.Add(i);
            }
        }
        return [.. CollectionsMarshal.AsSpan(sample)];
    }
}

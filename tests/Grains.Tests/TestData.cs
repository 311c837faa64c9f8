namespace Vectord.Grains.Tests;

/// <summary>Names and vectors for tests.</summary>
internal static class TestData
{
    /// <summary>A fresh index name (the clusters are shared by the tests of a collection).</summary>
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 128)];

    /// <summary>Deterministic pseudo-random vectors in [-1, 1).</summary>
    public static float[][] Vectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = new float[dimension];
            for (var d = 0; d < dimension; d++) { result[i][d] = (random.NextSingle() * 2) - 1; }
        }
        return result;
    }

    /// <summary>Items <c>{prefix}{i:D4}</c> over <see cref="Vectors"/>.</summary>
    public static IndexItem[] Items(int count, int dimension, int seed, string prefix = "item-", Func<int, string?>? metadata = null)
    {
        var vectors = Vectors(count, dimension, seed);
        return [.. vectors.Select((v, i) => new IndexItem($"{prefix}{i:D4}", v, metadata?.Invoke(i)))];
    }

    private static readonly string[] s_words = ["red", "green", "blue", "fox", "dog", "cat", "runs", "sleeps", "fast", "slow", "river", "stone"];

    /// <summary>A short text of a few words drawn by <paramref name="i"/>, for text fields: the same for the same i.</summary>
    public static string Words(int i)
    {
        var random = new Random(i);
        return string.Join(' ', Enumerable.Range(0, 2 + random.Next(6)).Select(_ => s_words[random.Next(s_words.Length)]));
    }

    /// <summary>The contract's distance between two vectors, computed in double precision.</summary>
    public static double Distance(IndexDistance distance, float[] q, float[] v)
    {
        double dot = 0, qq = 0, vv = 0, l2 = 0;
        for (var i = 0; i < q.Length; i++)
        {
            dot += (double)q[i] * v[i];
            qq += (double)q[i] * q[i];
            vv += (double)v[i] * v[i];
            l2 += ((double)q[i] - v[i]) * ((double)q[i] - v[i]);
        }
        return distance switch
        {
            IndexDistance.Cosine => 1 - (dot / Math.Sqrt(qq * vv)),
            IndexDistance.Euclidean => Math.Sqrt(l2),
            _ => -dot,
        };
    }
}

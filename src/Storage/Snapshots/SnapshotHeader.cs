using System.Globalization;
using System.Text.Json.Serialization;

namespace Vectord.Storage.Snapshots;

/// <summary>The JSON header of a snapshot file (<see cref="SnapshotFile"/>): the index's parameters and its parts.</summary>
/// <param name="Index">The name of the index it was taken of.</param>
/// <param name="Created">When it was taken (RFC 3339, UTC).</param>
/// <param name="Dimension">The index's dimension.</param>
/// <param name="M">The index's m.</param>
/// <param name="EfSearch">The index's ef_search.</param>
/// <param name="Distance"><c>cosine</c>, <c>euclidean</c> or <c>dot</c>.</param>
/// <param name="Parts">How many parts (shards) follow.</param>
/// <param name="Lengths">Items in each part.</param>
/// <param name="ShardScheme">How items were placed in the parts (the name of the grains' routing scheme).</param>
/// <param name="Quantization"><c>none</c> or <c>int8</c>; absent (null) in snapshots taken before quantization
/// existed, which means none.</param>
/// <param name="OnDisk">Whether the index keeps its float vectors in a memory-mapped file; absent (false) in snapshots
/// taken before the option existed.</param>
/// <param name="Replicas">Copies of each part the index had; absent (null) when it had one, as in snapshots taken before
/// replicas existed.</param>
/// <param name="TextFields">The index's text fields (key and language, <c>none</c> or <c>english</c>); absent when it had
/// none, as in snapshots taken before text fields existed. The text index itself is not in the file: a restored part
/// builds it from its items' metadata.</param>
/// <param name="Bm25K1">BM25's k1 of the text fields; absent with them.</param>
/// <param name="Bm25B">BM25's b of the text fields; absent with them.</param>
/// <param name="Vectors">The index's named vectors (name, dimension, distance, quantization), in order; absent when it
/// had none, as in snapshots taken before named vectors existed. <paramref name="Dimension"/> is then 0.</param>
public sealed record SnapshotHeader(
    string Index, string Created, int Dimension, int M, int EfSearch, string Distance, int Parts, int[] Lengths, string ShardScheme,
    string? Quantization = null, bool OnDisk = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Replicas = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SnapshotTextField[]? TextFields = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Bm25K1 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Bm25B = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SnapshotVector[]? Vectors = null)
{
    /// <summary>The header of a snapshot of the index <paramref name="index"/> with these parameters and part lengths,
    /// whose items were placed in the parts by <paramref name="shardScheme"/>.</summary>
    public static SnapshotHeader Of(string index, IndexSpec spec, DateTimeOffset created, int[] lengths, string shardScheme)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(lengths);
        return new(index, Format(created), spec.Dimension, spec.M, spec.EfSearch, spec.Distance.ToString().ToLowerInvariant(),
            lengths.Length, lengths, shardScheme, spec.Quantization.ToString().ToLowerInvariant(), spec.OnDisk,
            spec.Replicas > 1 ? spec.Replicas : null,
            spec.TextFields is { Length: > 0 } fields ? [.. fields.Select(f => new SnapshotTextField(f.Path, f.Language.ToString().ToLowerInvariant()))] : null,
            spec.TextFields is { Length: > 0 } ? spec.Bm25K1 : null, spec.TextFields is { Length: > 0 } ? spec.Bm25B : null,
            spec.Vectors is { Length: > 0 } named
                ? [.. named.Select(v => new SnapshotVector(v.Name, v.Dimension, v.Distance.ToString().ToLowerInvariant(), v.Quantization.ToString().ToLowerInvariant()))]
                : null);
    }

    /// <summary>Items in the snapshot.</summary>
    [JsonIgnore]
    public int Length => Lengths.Sum();

    /// <summary>The parameters of an index restored from it into <paramref name="shards"/> parts, with as many copies of
    /// each as the index had, as the header names them: whoever creates the index checks them.</summary>
    /// <exception cref="SnapshotFormatException">The header names a distance, quantization or language that is not one.</exception>
    public IndexSpec ToSpec(int shards)
    {
        var distance = Parse<IndexDistance>(Distance, "distance");
        var quantization = Quantization is null ? IndexQuantization.None : Parse<IndexQuantization>(Quantization, "quantization");
        var textFields = TextFields?.Select(f => new IndexTextField(f.Key, Parse<IndexTextLanguage>(f.Language, "text language"))).ToArray();
        var vectors = Vectors?.Select(v => new NamedVector(v.Name, v.Dimension, Parse<IndexDistance>(v.Distance, "distance"),
            Parse<IndexQuantization>(v.Quantization, "quantization"))).ToArray();
        return new IndexSpec(Dimension, M, EfSearch, distance, shards, quantization, OnDisk, Replicas ?? 1, textFields, Bm25K1, Bm25B, Vectors: vectors);
    }

    private static T Parse<T>(string? text, string what) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new SnapshotFormatException($"the header names an unknown {what} \"{text}\"");

    /// <summary>The time of <paramref name="created"/> as the header and the API write it.</summary>
    public static string Format(DateTimeOffset created) =>
        created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A text field in a snapshot's header.</summary>
/// <param name="Key">The field's path.</param>
/// <param name="Language"><c>none</c> or <c>english</c>.</param>
public sealed record SnapshotTextField(string Key, string Language);

/// <summary>A named vector in a snapshot's header.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Dimension">Its length.</param>
/// <param name="Distance"><c>cosine</c>, <c>euclidean</c> or <c>dot</c>.</param>
/// <param name="Quantization"><c>none</c> or <c>int8</c>.</param>
public sealed record SnapshotVector(string Name, int Dimension, string Distance, string Quantization);

/// <summary>Serializer metadata of the snapshot header and the snapshot's description (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SnapshotHeader))]
[JsonSerializable(typeof(SnapshotInfo))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;

/// <summary>A snapshot file cannot be read: not a snapshot, an unknown version, truncated or damaged.</summary>
public sealed class SnapshotFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotFormatException() { }

    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public SnapshotFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SnapshotFormatException(string message, Exception inner) : base(message, inner) { }
}

using Vectord.Hnsw;

namespace Vectord.Storage.Items;

/// <summary>The rules of an index's parameters: what a create may ask for, the defaults, and the engine options
/// they become.</summary>
internal static class IndexRules
{
    /// <summary>Checks a create request and fills in the defaults.</summary>
    /// <exception cref="InvalidIndexArgumentException">A parameter is out of range; the message names it.</exception>
    public static IndexSpec Effective(IndexSpec? spec)
    {
        if (spec is null) { throw new InvalidIndexArgumentException("spec must be set"); }
        if (spec.Vectors is { Length: > 0 } named) { return Effective(spec, named); }
        if (spec.Dimension is < 0 or > IndexLimits.MaxDimension) { throw new InvalidIndexArgumentException($"dimension must be between 1 and {IndexLimits.MaxDimension}, or 0 for an index without vectors"); }
        if (spec.Dimension == 0 && (spec.Quantization != IndexQuantization.None || spec.OnDisk))
        {
            throw new InvalidIndexArgumentException("an index without vectors has no vectors to quantize or keep on disk");
        }
        return Common(spec with { Vectors = null });
    }

    /// <summary>A create of an index with named vectors: each checked, the index's distance and quantization those of
    /// the first.</summary>
    private static IndexSpec Effective(IndexSpec spec, NamedVector[] named)
    {
        if (spec.Dimension != 0) { throw new InvalidIndexArgumentException("dimension and vectors are exclusive: give one"); }
        if (named.Length > IndexLimits.MaxNamedVectors) { throw new InvalidIndexArgumentException($"vectors: more than {IndexLimits.MaxNamedVectors} named vectors"); }
        if (spec.OnDisk) { throw new InvalidIndexArgumentException("on_disk is not served for named vectors: they are kept in memory"); }
        // The index's own quantization is that of the first (as a stored spec, or a snapshot's header, says it).
        if (spec.Quantization != IndexQuantization.None && spec.Quantization != named[0]?.Quantization)
        {
            throw new InvalidIndexArgumentException("with named vectors, quantization is given for each of them");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var vector in named)
        {
            if (vector is null) { throw new InvalidIndexArgumentException("vectors: a named vector is required"); }
            if (!VectorNames.IsValid(vector.Name)) { throw new InvalidIndexArgumentException($"vectors: {VectorNames.InvalidMessage}"); }
            if (!names.Add(vector.Name)) { throw new InvalidIndexArgumentException($"vectors: '{vector.Name}' is named twice"); }
            if (vector.Dimension is < 1 or > IndexLimits.MaxDimension) { throw new InvalidIndexArgumentException($"vectors.{vector.Name}: dimension must be between 1 and {IndexLimits.MaxDimension}"); }
            if (!Enum.IsDefined(vector.Distance)) { throw new InvalidIndexArgumentException($"vectors.{vector.Name}: unknown distance"); }
            if (!Enum.IsDefined(vector.Quantization)) { throw new InvalidIndexArgumentException($"vectors.{vector.Name}: unknown quantization"); }
            total += vector.Dimension;
        }
        if (total > IndexLimits.MaxDimension) { throw new InvalidIndexArgumentException($"vectors: their dimensions add up to {total}, more than {IndexLimits.MaxDimension}"); }
        return Common(spec with { Distance = named[0].Distance, Quantization = named[0].Quantization, Vectors = [.. named] });
    }

    /// <summary>The checks and defaults every create shares.</summary>
    private static IndexSpec Common(IndexSpec spec)
    {
        if (spec.M != 0 && spec.M is < IndexLimits.MinM or > IndexLimits.MaxM) { throw new InvalidIndexArgumentException($"m must be 0 (default) or between {IndexLimits.MinM} and {IndexLimits.MaxM}"); }
        if (spec.EfSearch != 0 && spec.EfSearch is < 1 or > IndexLimits.MaxEf) { throw new InvalidIndexArgumentException($"ef_search must be 0 (default) or between 1 and {IndexLimits.MaxEf}"); }
        if (!Enum.IsDefined(spec.Distance)) { throw new InvalidIndexArgumentException("unknown distance"); }
        if (!Enum.IsDefined(spec.Quantization)) { throw new InvalidIndexArgumentException("unknown quantization"); }
        if (spec.Shards != 0 && spec.Shards is < 1 or > IndexLimits.MaxShards) { throw new InvalidIndexArgumentException($"shards must be 0 (default) or between 1 and {IndexLimits.MaxShards}"); }
        if (spec.Replicas != 0 && spec.Replicas is < 1 or > IndexLimits.MaxReplicas) { throw new InvalidIndexArgumentException($"replicas must be 0 (default) or between 1 and {IndexLimits.MaxReplicas}"); }
        var text = EffectiveText(spec);
        return spec with
        {
            TextFields = text?.Fields,
            Bm25K1 = text?.K1,
            Bm25B = text?.B,
            Replicas = spec.Replicas == 0 ? 1 : spec.Replicas,
            M = spec.M == 0 ? HnswOptions.DefaultM : spec.M,
            EfSearch = spec.EfSearch == 0 ? HnswOptions.DefaultEfSearch : spec.EfSearch,
            Shards = spec.Shards == 0 ? 1 : spec.Shards,
            Revision = 0,
        };
    }

    /// <summary>The effective <paramref name="spec"/> with <paramref name="fields"/> added to its text fields, checked as
    /// a create's are, and its revision one higher; <paramref name="spec"/> itself when each field is one of them
    /// already, in the same language.</summary>
    /// <exception cref="InvalidIndexArgumentException">A field is missing or invalid, is a text field already in another
    /// language, or there would be too many.</exception>
    public static IndexSpec WithTextFields(IndexSpec spec, IndexTextField[]? fields)
    {
        if (fields is not { Length: > 0 }) { throw new InvalidIndexArgumentException("text_fields must name at least one field"); }
        var all = new List<IndexTextField>(spec.TextFields ?? []);
        var held = all.Count;
        for (int i = 0; i < fields.Length; i++)
        {
            if (fields[i] is not { } field) { throw new InvalidIndexArgumentException($"text_fields[{i}]: a field is required"); }
            if (FilterRules.CheckKey(field.Path) is { } problem) { throw new InvalidIndexArgumentException($"text_fields[{i}]: {problem}"); }
            if (all.Find(f => f.Path == field.Path) is not { } same) { all.Add(field); }
            else if (same.Language != field.Language)
            {
                throw new InvalidIndexArgumentException(
                    $"text_fields[{i}]: '{field.Path}' is a text field already, in {same.Language.ToString().ToLowerInvariant()}");
            }
        }
        if (all.Count == held) { return spec; }
        var text = EffectiveText(spec with { TextFields = [.. all] })!.Value;
        return spec with { TextFields = text.Fields, Bm25K1 = text.K1, Bm25B = text.B, Revision = spec.Revision + 1 };
    }

    /// <summary>The text fields of a create request, checked, with BM25's defaults filled in; null when it has none.</summary>
    private static (IndexTextField[] Fields, double K1, double B)? EffectiveText(IndexSpec spec)
    {
        if (spec.TextFields is not { Length: > 0 } fields)
        {
            return spec.Bm25K1 is null && spec.Bm25B is null ? null
                : throw new InvalidIndexArgumentException("bm25 needs text_fields: the index has no text to score");
        }
        if (fields.Length > IndexLimits.MaxTextFields) { throw new InvalidIndexArgumentException($"text_fields: more than {IndexLimits.MaxTextFields} fields"); }
        for (int i = 0; i < fields.Length; i++)
        {
            if (fields[i] is null) { throw new InvalidIndexArgumentException($"text_fields[{i}]: a field is required"); }
            if (FilterRules.CheckKey(fields[i].Path) is { } problem) { throw new InvalidIndexArgumentException($"text_fields[{i}]: {problem}"); }
        }
        double k1 = spec.Bm25K1 ?? Hnsw.Text.TextOptions.DefaultK1, b = spec.Bm25B ?? Hnsw.Text.TextOptions.DefaultB;
        if (TextOf(fields, k1, b).Check() is { } invalid) { throw new InvalidIndexArgumentException($"text_fields: {invalid}"); }
        return (fields, k1, b);
    }

    private static Hnsw.Text.TextOptions TextOf(IndexTextField[] fields, double k1, double b) => new(
        [.. fields.Select(f => new Hnsw.Text.TextField(f.Path, (Hnsw.Text.TextLanguage)f.Language))],
        k1, b);

    /// <summary>What the contract tells of index <paramref name="name"/>: its parameters and <paramref name="length"/>.</summary>
    public static IndexInfo Info(string name, IndexSpec spec, int length) =>
        new(name, spec.Dimension, spec.M, spec.EfSearch, spec.Distance, length, ShardCount(spec), spec.Quantization, spec.OnDisk,
            Replicas: ReplicaCount(spec), TextFields: spec.TextFields, Bm25K1: spec.Bm25K1, Bm25B: spec.Bm25B, Vectors: spec.Vectors);

    /// <summary>The shard count of a stored spec: specs written before sharding have none and mean one part.</summary>
    public static int ShardCount(IndexSpec spec) => Math.Max(1, spec.Shards);

    /// <summary>Copies of each part of a stored spec: specs written before replicas have none and mean one.</summary>
    public static int ReplicaCount(IndexSpec spec) => Math.Max(1, spec.Replicas);

    /// <summary>Whether the index's parts are held by shard grains (with their replicas beside them), rather than by
    /// the index grain itself: when it has several parts, or several copies of its one part.</summary>
    public static bool UsesShardGrains(IndexSpec spec) => ShardCount(spec) > 1 || ReplicaCount(spec) > 1;

    /// <summary>The engine options of an index.</summary>
    public static HnswOptions ToOptions(IndexSpec spec)
    {
        var text = spec.TextFields is { Length: > 0 } fields
            ? TextOf(fields, spec.Bm25K1 ?? Hnsw.Text.TextOptions.DefaultK1, spec.Bm25B ?? Hnsw.Text.TextOptions.DefaultB)
            : null;
        if (spec.Vectors is { Length: > 0 } named)
        {
            var spaces = new VectorSpaces(named.Select(v => new VectorSpace(v.Name, v.Dimension, ToEngine(v.Distance), ToEngine(v.Quantization))));
            return HnswOptions.ForVectors(spaces, m: spec.M, efSearch: spec.EfSearch, text: text);
        }
        return new(spec.Dimension, ToEngine(spec.Distance), M: spec.M, EfSearch: spec.EfSearch, Quantization: ToEngine(spec.Quantization), Text: text);
    }

    private static DistanceKind ToEngine(IndexDistance distance) => distance switch
    {
        IndexDistance.Euclidean => DistanceKind.Euclidean,
        IndexDistance.Dot => DistanceKind.Dot,
        _ => DistanceKind.Cosine,
    };

    private static QuantizationKind ToEngine(IndexQuantization quantization) =>
        quantization == IndexQuantization.Int8 ? QuantizationKind.Int8 : QuantizationKind.None;
}

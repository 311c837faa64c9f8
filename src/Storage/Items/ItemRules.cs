using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using System.Text.Json;
using Vectord.Hnsw;
using Vectord.Hnsw.Filtering;

namespace Vectord.Storage.Items;

/// <summary>What an item and a query must be, and the mapping between the contract's items and the engine's.
/// The vector rule itself is the engine's (<see cref="HnswOptions.CheckVector"/>); ids and metadata are checked here.</summary>
internal static class ItemRules
{
    /// <summary>Deepest nesting of metadata: every answer that carries an item (search, get, listing) wraps it in at
    /// most three more levels, and stays within the 64 levels JSON writers accept by default.</summary>
    public const int MaxMetadataDepth = 32;

    /// <summary>Checks a whole batch and converts it; nothing is returned unless every item is acceptable.</summary>
    /// <exception cref="InvalidIndexArgumentException">The first bad item, as <c>items[j]: what</c>.</exception>
    public static VectorItem[] CheckBatch(IndexItem[]? items, HnswOptions options)
    {
        if (items is null || items.Length == 0) { throw new InvalidIndexArgumentException("items must be non-empty"); }
        ItemLimits.ThrowIfTooMany("items", items.Length);
        var batch = new VectorItem[items.Length];
        for (var j = 0; j < items.Length; j++)
        {
            var item = items[j] ?? throw new InvalidIndexArgumentException($"items[{j}]: missing item");
            var problem = Check(item, options, out var converted);
            if (problem is not null) { throw new InvalidIndexArgumentException($"items[{j}]: {problem}"); }
            batch[j] = converted!;
        }
        return batch;
    }

    /// <summary>Checks one incoming item and converts it; returns what is wrong, or null.</summary>
    public static string? Check(IndexItem item, HnswOptions options, out VectorItem? converted)
    {
        converted = null;
        if (ItemIds.Check(item.Id) is { } badId) { return badId; }
        var problem = options.Vectors is { } named ? CheckNamed(item, named, options, out var vector) : CheckUnnamed(item, options, out vector);
        if (problem is not null) { return problem; }
        if (item.Metadata is { } metadata && CheckMetadata(metadata.Utf8.Span) is { } bad) { return bad; }
        // The metadata's array is kept as it is: no one can change it (ItemMetadata copies what it is given).
        converted = new VectorItem(item.Id, vector!, item.Metadata?.Array);
        return null;
    }

    private static string? CheckUnnamed(IndexItem item, HnswOptions options, out float[]? vector)
    {
        vector = null;
        if (item.Vectors is { Count: > 0 }) { return "vectors: the index has no named vectors"; }
        // An item without a vector, to an index that has them: said as such, not as a dimension of 0.
        var problem = item.Vector is null or [] && options.Dimension > 0 ? "vector is required" : options.CheckVector(item.Vector ?? []);
        if (problem is null) { vector = item.Vector is null or [] ? [] : item.Vector.ToArray(); }
        return problem;
    }

    /// <summary>An item of an index with named vectors: one of each, by name, each by its own rule; the engine's vector
    /// is their concatenation.</summary>
    private static string? CheckNamed(IndexItem item, VectorSpaces named, HnswOptions options, out float[]? vector)
    {
        vector = null;
        if (item.Vector is { Length: > 0 }) { return $"vector: the index has named vectors ({Names(named)}): give them in vectors"; }
        if (item.Vectors is not { } given) { return $"vectors is required ({Names(named)})"; }
        foreach (var name in given.Keys)
        {
            if (named.IndexOf(name) < 0) { return $"vectors: the index has no vector named '{name}' ({Names(named)})"; }
        }
        var parts = new float[named.Count][];
        for (var i = 0; i < named.Count; i++)
        {
            if (!given.TryGetValue(named[i].Name, out var part) || part is null) { return $"vectors.{named[i].Name} is required"; }
            if (options.Space(i).CheckVector(part) is { } problem) { return $"vectors.{named[i].Name}: {problem}"; }
            parts[i] = part;
        }
        vector = named.Concat(parts);
        return null;
    }

    private static string Names(VectorSpaces named) => string.Join(", ", named.Select(v => v.Name));

    /// <summary>Checks one search and returns it with its effective k and ef.</summary>
    /// <param name="query">The search.</param>
    /// <param name="options">The index's options.</param>
    /// <param name="at">Where the search sits in a batch (<c>searches[3]</c>), to name it in errors; null for a single search.</param>
    /// <exception cref="InvalidIndexArgumentException">What is wrong, e.g. <c>searches[3]: vector: dim mismatch ...</c>
    /// or <c>searches[3].filter.must[0].range: at least one bound is required</c>.</exception>
    public static SearchQuery CheckSearch(SearchQuery? query, HnswOptions options, string? at)
    {
        if (query is null) { throw new InvalidIndexArgumentException($"{at ?? "search"}: missing search"); }
        try
        {
            CheckUsing(query, options);
            if (!TextRules.IsKeyword(query)) { CheckQuery(query.Vector, options, query.Using); }
        }
        catch (InvalidIndexArgumentException e) when (at is not null)
        {
            throw new InvalidIndexArgumentException($"{at}: {e.Message}");
        }
        TextRules.CheckText(query, options, at);
        TextRules.CheckFilter(query.Filter, options, at is null ? "filter" : $"{at}.filter");
        var k = EffectiveK(query.K);
        return query with { K = k, Ef = EffectiveEf(query.Ef, k) };
    }

    /// <summary>Checks a query vector with the same rule, and in the same words, as stored vectors
    /// (<see cref="HnswOptions.CheckVector"/>): those of the named vector <paramref name="name"/> when the index has
    /// named vectors (<see cref="CheckUsing"/> checked the name).</summary>
    /// <exception cref="InvalidIndexArgumentException">What is wrong with it.</exception>
    public static void CheckQuery(float[]? vector, HnswOptions options, string? name = null)
    {
        var rule = options.Vectors is { } named && name is not null ? options.Space(named.IndexOf(name)) : options;
        if (rule.CheckQuery(vector ?? []) is { } problem) { throw new InvalidIndexArgumentException($"vector: {problem}"); }
    }

    /// <summary>A search of an index with named vectors names one (<c>using</c>), even a keyword search, whose vector
    /// half has none (so a search never depends on which vector is first); one of any other index names none.</summary>
    /// <exception cref="InvalidIndexArgumentException">The name is missing, unknown, or given where there are none.</exception>
    private static void CheckUsing(SearchQuery query, HnswOptions options)
    {
        if (options.Vectors is not { } named)
        {
            if (query.Using is not null) { throw new InvalidIndexArgumentException("using: the index has no named vectors"); }
            return;
        }
        if (TextRules.IsKeyword(query) && query.Using is null) { return; }
        if (query.Using is null) { throw new InvalidIndexArgumentException($"using is required: the index has named vectors ({Names(named)})"); }
        if (named.IndexOf(query.Using) < 0) { throw new InvalidIndexArgumentException($"using: the index has no vector named '{query.Using}' ({Names(named)})"); }
    }

    /// <summary>The k a search uses: ≤ 0 means the default, more than the maximum means the maximum.</summary>
    public static int EffectiveK(int k) => k <= 0 ? IndexLimits.DefaultK : Math.Min(k, IndexLimits.MaxK);

    /// <summary>The beam width a search asks for: 0 (the index's own) unless the caller gave one; at least k.</summary>
    public static int EffectiveEf(int? ef, int k) => ef is > 0 ? Math.Max(Math.Min(ef.Value, IndexLimits.MaxEf), k) : 0;

    /// <summary>The page size a listing uses.</summary>
    public static int EffectiveLimit(int limit) => limit <= 0 ? 100 : Math.Min(limit, IndexLimits.MaxPage);

    /// <summary>What is wrong with <paramref name="metadata"/> as an item's metadata, or null: it must be one
    /// well-formed JSON value in UTF-8, within the size and nesting limits, that filters can see whole. One pass of a
    /// reader over the bytes, one of the payload extractor.</summary>
    public static string? CheckMetadata(ReadOnlySpan<byte> metadata)
    {
        if (ItemLimits.CheckMetadata(metadata.Length) is { } large) { return large; }
        if (!Utf8.IsValid(metadata)) { return "metadata is not valid UTF-8"; }
        int depth = 0;
        try
        {
            var reader = new Utf8JsonReader(metadata, new JsonReaderOptions { MaxDepth = 1024 });
            if (!reader.Read()) { return "metadata is not valid JSON"; }
            do
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) { depth = Math.Max(depth, reader.CurrentDepth + 1); }
            }
            while (reader.Read());
        }
        catch (JsonException)
        {
            return "metadata is not valid JSON";
        }
        if (depth > MaxMetadataDepth) { return $"metadata nests {depth} levels deep (at most {MaxMetadataDepth})"; }
        return FilterableProblem(metadata);
    }

    /// <summary>What keeps filters from seeing all of <paramref name="metadata"/> (valid JSON), or null: a key or
    /// string with an unpaired surrogate (JSON can write one, <c>"\ud83d"</c>), or more values than the payload index
    /// keeps. Such an item would be indexed in part, and a filter could not tell what the rest holds.</summary>
    private static string? FilterableProblem(ReadOnlySpan<byte> metadata) => PayloadDocument.Extract(metadata, []) switch
    {
        PayloadExtraction.Unreadable => "metadata holds a key or string that is not valid Unicode text (an unpaired surrogate)",
        PayloadExtraction.Truncated =>
            $"metadata holds more than {PayloadDocument.MaxEntriesPerItem} values (each array element counts; filters see at most {PayloadDocument.MaxEntriesPerItem})",
        _ => null,
    };

    /// <summary>Stored metadata as the contract's, without a copy (the engine never changes an item's array).</summary>
    public static ItemMetadata? Stored(byte[]? metadata) => metadata is null ? null : ItemMetadata.Own(metadata, wellFormed: true);

    /// <summary>An engine item as a contract item, with or without its vectors: with named vectors, one of each by
    /// name (<paramref name="named"/>).</summary>
    public static IndexItem ToContract(VectorItem item, bool includeVector, VectorSpaces? named)
    {
        if (named is null || !includeVector) { return ToWire(item, includeVector); }
        var vectors = new Dictionary<string, float[]>(named.Count, StringComparer.Ordinal);
        for (var i = 0; i < named.Count; i++) { vectors[named[i].Name] = named.Segment(item.Vector, i).ToArray(); }
        return new(item.Id, [], Stored(item.Metadata), vectors);
    }

    /// <summary>An engine item as it goes to another part of the same index (a shard's grain): its vector as the engine
    /// holds it (with named vectors, their concatenation), taken back by <see cref="FromChecked"/>.</summary>
    public static IndexItem ToWire(VectorItem item, bool includeVector = true) =>
        new(item.Id, includeVector ? item.Vector : [], Stored(item.Metadata));

    /// <summary>A contract item already checked by <see cref="Check"/> as an engine item.</summary>
    public static VectorItem FromChecked(IndexItem item) => new(item.Id, item.Vector, item.Metadata?.Array);

    /// <summary>A hash of an item's content (vector and metadata), to tell whether it changed.</summary>
    public static ulong Fingerprint(VectorItem item)
    {
        var hash = new XxHash64();
        hash.Append(MemoryMarshal.AsBytes(item.Vector.AsSpan()));
        if (item.Metadata is null) { hash.Append([0]); }
        else { hash.Append([1]); hash.Append(item.Metadata); }
        return hash.GetCurrentHashAsUInt64();
    }
}

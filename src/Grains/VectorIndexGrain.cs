using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectord.Grains.Hosting;
using Vectord.Grains.Persistence;
using Vectord.Grains.Storage;
using Orleans.Placement;
using Orleans.Storage;
using Vectord.Hnsw;

namespace Vectord.Grains;

/// <summary>
/// One HNSW index, keyed by its name. Every write is first appended to the index's write-ahead log in storage
/// (one record per batch, created only if absent, which also fences a stale second activation) and applied in
/// memory afterwards, so a failed write leaves memory as it was. When the log outgrows a fraction of the last
/// snapshot, a new snapshot is written, the manifest is moved to it and the covered records are deleted.
/// Recovery: manifest → snapshot → replay of the later log records in order.
/// Placed by activation count, so the indexes of a cluster spread over its silos rather than following the caller.
/// </summary>
[ActivationCountBasedPlacement]
public sealed partial class VectorIndexGrain : Grain, IVectorIndexGrain, IVectorIndexMergeGrain
{
    private const int MaxK = 1000;
    private const int DefaultK = 10;
    private const int MaxEf = 10_000;
    private const int MaxPage = 1000;
    private const string MovedMessage = "the index was changed by another activation; retry";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IGrainStorage grainStorage;
    private readonly IIndexBlobStore store;
    private readonly VectordStorageOptions options;
    private readonly ILogger<VectorIndexGrain> logger;

    private DeferredGrainState<IndexManifest> manifest = null!;
    private HnswIndex? index;
    private Task<HnswIndex>? loading;
    private string? corruptMessage;
    private bool stale;
    private long seq;
    private long logBytes;
    private string[]? sortedIds;

    /// <summary>Creates the activation.</summary>
    public VectorIndexGrain(
        [FromKeyedServices(VectordStorageOptions.ProviderName)] IGrainStorage grainStorage,
        [FromKeyedServices(VectordStorageOptions.ProviderName)] IIndexBlobStore store,
        IOptions<VectordStorageOptions> options,
        ILogger<VectorIndexGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.grainStorage = grainStorage;
        this.store = store;
        this.options = options.Value;
        this.logger = logger;
    }

    private string Name => this.GetPrimaryKeyString();

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The manifest is read by the first call, so that a storage outage surfaces as StorageUnavailableException.
        manifest = new DeferredGrainState<IndexManifest>(grainStorage, "manifest", this.GetGrainId());
        return base.OnActivateAsync(cancellationToken);
    }

    private IndexSpec Spec => manifest.State.Spec ?? throw new IndexNotFoundException("index not found");

    // ---------------------------------------------------------------- contract

    /// <inheritdoc/>
    public async Task<IndexInfo> CreateAsync(IndexSpec spec)
    {
        CheckUsable();
        var effective = Validate(spec);
        await manifest.EnsureReadAsync();
        if (manifest.State.Spec is not null) { throw new IndexAlreadyExistsException("index already exists"); }

        await store.DeletePrefixAsync(StorageKeys.IndexPrefix(Name));   // leftovers of an interrupted drop
        var previous = manifest.State;
        manifest.State = new IndexManifest { Spec = effective, Generation = Guid.NewGuid().ToString("N") };
        try
        {
            if (!await GrainStateWrites.TryAsync(() => manifest.WriteStateAsync()))
            {
                manifest.State = previous;
                MarkStale();
                throw new IndexAlreadyExistsException("index already exists");
            }
        }
        catch (StorageUnavailableException)
        {
            manifest.State = previous;
            throw;
        }

        try
        {
            await GrainFactory.GetGrain<IIndexCatalogGrain>(0).RegisterAsync(Name);
        }
        catch (StorageUnavailableException)
        {
            await GrainStateWrites.TryAsync(() => manifest.ClearStateAsync());
            throw;
        }

        ResetMemory();
        index = new HnswIndex(ToOptions(effective));
        ReportSize(index);
        return Info(index);
    }

    /// <inheritdoc/>
    public async Task<IndexInfo> GetInfoAsync() => Info(await EnsureLoadedAsync());

    /// <inheritdoc/>
    public async Task DropAsync()
    {
        CheckUsable();
        await manifest.EnsureReadAsync();
        _ = Spec;   // 404 when absent; a corrupt index can still be dropped
        await GrainFactory.GetGrain<IIndexCatalogGrain>(0).UnregisterAsync(Name);
        if (!await GrainStateWrites.TryAsync(() => manifest.ClearStateAsync()))
        {
            MarkStale();
            throw new StorageUnavailableException(MovedMessage);
        }
        ResetMemory();
        ForgetSize();
        try
        {
            await store.DeletePrefixAsync(StorageKeys.IndexPrefix(Name));
        }
        catch (StorageUnavailableException e)
        {
            LogLeftovers(Name, e.Message);   // the next create of this name removes them
        }
        DeactivateOnIdle();
    }

    /// <inheritdoc/>
    public async Task<AddResult> AddAsync(IndexItem[] items)
    {
        var idx = await EnsureLoadedAsync();
        if (items is null || items.Length == 0) { throw new InvalidIndexArgumentException("items must be non-empty"); }
        var spec = Spec;
        var batch = new VectorItem[items.Length];
        for (var j = 0; j < items.Length; j++)
        {
            var item = items[j] ?? throw new InvalidIndexArgumentException($"items[{j}]: missing item");
            var problem = CheckItem(idx, spec, item, out var converted);
            if (problem is not null) { throw new InvalidIndexArgumentException($"items[{j}]: {problem}"); }
            batch[j] = converted!;
        }
        var added = await ApplyAddAsync(idx, batch);
        return new AddResult(added, idx.Count);
    }

    /// <inheritdoc/>
    public async Task<DeleteResult> DeleteAsync(string[] ids)
    {
        var idx = await EnsureLoadedAsync();
        if (ids is null || ids.Length == 0) { throw new InvalidIndexArgumentException("ids must be non-empty"); }
        var present = ids.Where(id => id is not null && idx.Contains(id)).Distinct(StringComparer.Ordinal).ToArray();
        await ApplyDeleteAsync(idx, present);
        return new DeleteResult(present.Length, idx.Count);
    }

    /// <inheritdoc/>
    public async Task<IndexItem?> GetItemAsync(string id)
    {
        var idx = await EnsureLoadedAsync();
        return id is not null && idx.TryGet(id, out var item) ? ToContract(item, includeVector: true) : null;
    }

    /// <inheritdoc/>
    public async Task<Vectord.SearchHit[]> SearchAsync(float[] vector, int k = DefaultK, int? ef = null)
    {
        var idx = await EnsureLoadedAsync();
        var spec = Spec;
        vector ??= [];
        if (vector.Length != spec.Dimension)
        {
            throw new InvalidIndexArgumentException($"dimension mismatch (index={spec.Dimension}, got={vector.Length})");
        }
        var problem = CheckVector(vector, spec) ?? idx.ValidateVector(vector);
        if (problem is not null) { throw new InvalidIndexArgumentException($"vector: {problem}"); }
        k = k <= 0 ? DefaultK : Math.Min(k, MaxK);
        var beam = ef is > 0 ? Math.Max(Math.Min(ef.Value, MaxEf), k) : 0;
        if (idx.Count == 0) { return []; }
        using var timing = TimeSearch();
        // The search and the conversion of its hits run on the thread pool, so concurrent searches use every core
        // and the activation is back on its scheduler only to return the answer.
        return await Task.Run(() => Array.ConvertAll(idx.Search(vector, k, beam),
            h => new Vectord.SearchHit(h.Id, h.Distance, DecodeMetadata(h.Metadata))));
    }

    /// <inheritdoc/>
    public async Task<ItemPage> ListItemsAsync(string? after = null, int limit = 100, bool includeVectors = false)
    {
        var idx = await EnsureLoadedAsync();
        limit = limit <= 0 ? 100 : Math.Min(limit, MaxPage);
        var (items, next) = Page(idx, after, limit, includeVectors);
        return new ItemPage([.. items.Select(i => ToContract(i, includeVectors))], next);
    }

    /// <inheritdoc/>
    public async Task<MergeResult> MergeIntoAsync(string destination, bool clearSource)
    {
        // Runs interleaved with everything: it only calls this activation and the destination through ordinary turns.
        CheckName();
        if (string.IsNullOrEmpty(destination) || string.Equals(destination, Name, StringComparison.Ordinal))
        {
            throw new InvalidIndexArgumentException("dest must be set and differ from source");
        }
        var self = GrainFactory.GetGrain<IVectorIndexMergeGrain>(Name);
        var selfInfo = GrainFactory.GetGrain<IVectorIndexGrain>(Name);
        IndexInfo source;
        try
        {
            source = await selfInfo.GetInfoAsync();
        }
        catch (IndexNotFoundException)
        {
            throw new IndexNotFoundException("source not found");
        }
        if (!StorageKeys.IsValidName(destination)) { throw new IndexNotFoundException("dest not found"); }
        var destInfo = GrainFactory.GetGrain<IVectorIndexGrain>(destination);
        IndexInfo dest;
        try
        {
            dest = await destInfo.GetInfoAsync();
        }
        catch (IndexNotFoundException)
        {
            throw new IndexNotFoundException("dest not found");
        }
        if (dest.Dimension != source.Dimension)
        {
            throw new InvalidIndexArgumentException($"dimension mismatch (source={source.Dimension}, dest={dest.Dimension})");
        }

        var target = GrainFactory.GetGrain<IVectorIndexMergeGrain>(destination);
        var pageSize = Math.Clamp((1 << 20) / source.Dimension, 1, 512);
        int merged = 0, skipped = 0, failed = 0;
        string? firstError = null;
        string? after = null;
        while (true)
        {
            var page = await self.ExportPageAsync(after, pageSize);
            if (page.Items.Length == 0) { break; }
            var outcome = await target.AddIfAbsentAsync(page.Items);
            merged += outcome.Merged;
            skipped += outcome.Skipped;
            failed += outcome.Failed;
            firstError ??= outcome.FirstError;
            if (clearSource && outcome.Taken.Length > 0)
            {
                var fingerprints = page.Items.Select((item, i) => (item.Id, page.Fingerprints[i])).ToDictionary(p => p.Id, p => p.Item2, StringComparer.Ordinal);
                await self.RemoveIfUnchangedAsync(outcome.Taken, [.. outcome.Taken.Select(id => fingerprints[id])]);
            }
            if (page.Next is null) { break; }
            after = page.Next;
        }
        var lengthDest = (await destInfo.GetInfoAsync()).Length;
        var lengthSource = (await selfInfo.GetInfoAsync()).Length;
        return new MergeResult(merged, skipped, failed, lengthDest, lengthSource, firstError);
    }

    // ---------------------------------------------------------------- merge side

    /// <inheritdoc/>
    public async Task<MergePage> ExportPageAsync(string? after, int limit)
    {
        var idx = await EnsureLoadedAsync();
        var (items, next) = Page(idx, after, Math.Clamp(limit, 1, MaxPage), includeVectors: true);
        return new MergePage([.. items.Select(i => ToContract(i, includeVector: true))], [.. items.Select(Fingerprint)], next);
    }

    /// <inheritdoc/>
    public async Task<MergeAddOutcome> AddIfAbsentAsync(IndexItem[] items)
    {
        var idx = await EnsureLoadedAsync();
        var spec = Spec;
        var accepted = new List<VectorItem>();
        var taken = new List<string>();
        int skipped = 0, failed = 0;
        string? firstError = null;
        foreach (var item in items ?? [])
        {
            if (item is not null && !string.IsNullOrEmpty(item.Id) && idx.Contains(item.Id))
            {
                skipped++;
                taken.Add(item.Id);
                continue;
            }
            VectorItem? converted = null;
            var problem = item is null ? "missing item" : CheckItem(idx, spec, item, out converted);
            if (problem is not null)
            {
                failed++;
                firstError ??= item is null || string.IsNullOrEmpty(item.Id) ? problem : $"{item.Id}: {problem}";
                continue;
            }
            accepted.Add(converted!);
            taken.Add(item!.Id);
        }
        var merged = accepted.Count == 0 ? 0 : await ApplyAddAsync(idx, [.. accepted]);
        return new MergeAddOutcome(merged, skipped, failed, firstError, [.. taken], idx.Count);
    }

    /// <inheritdoc/>
    public async Task<int> RemoveIfUnchangedAsync(string[] ids, ulong[] fingerprints)
    {
        var idx = await EnsureLoadedAsync();
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(fingerprints);
        var remove = new List<string>();
        for (var i = 0; i < ids.Length && i < fingerprints.Length; i++)
        {
            if (idx.TryGet(ids[i], out var item) && Fingerprint(item) == fingerprints[i]) { remove.Add(ids[i]); }
        }
        await ApplyDeleteAsync(idx, [.. remove.Distinct(StringComparer.Ordinal)]);
        return idx.Count;
    }

    // ---------------------------------------------------------------- writes

    private async Task<int> ApplyAddAsync(HnswIndex idx, VectorItem[] batch)
    {
        var next = seq + 1;
        await AppendAsync(WalRecord.Add(next, batch));
        var applied = false;
        int added;
        try
        {
            // One thread: a sequential insert is deterministic (levels come from the ids), so replaying this record
            // after a crash rebuilds exactly the graph that is in memory, and searches answer the same.
            added = await Task.Run(() => idx.AddBatch(batch, maxDegreeOfParallelism: 1));
            applied = true;
        }
        finally
        {
            if (!applied) { MarkStale(); }   // memory no longer matches storage: reload on the next call
        }
        seq = next;
        sortedIds = null;
        ReportAdded(idx, added);
        await MaybeCompactAsync(idx);
        return added;
    }

    private async Task ApplyDeleteAsync(HnswIndex idx, string[] ids)
    {
        if (ids.Length == 0) { return; }
        var next = seq + 1;
        await AppendAsync(WalRecord.Delete(next, ids));
        var applied = false;
        try
        {
            foreach (var id in ids) { idx.Delete(id); }
            applied = true;
        }
        finally
        {
            if (!applied) { MarkStale(); }
        }
        seq = next;
        sortedIds = null;
        ReportSize(idx);
        await MaybeCompactAsync(idx);
    }

    /// <summary>Makes a record durable. A record of that sequence number already in storage means another
    /// activation wrote it: this one is stale, fails the write and deactivates.</summary>
    private async Task AppendAsync(WalRecord record)
    {
        var bytes = record.Encode();
        if (!await store.TryCreateAsync(StorageKeys.Wal(Name, manifest.State.Generation, record.Seq), bytes))
        {
            MarkStale();
            throw new StorageUnavailableException(MovedMessage);
        }
        logBytes += bytes.Length;
        ReportWal(bytes.Length);
    }

    private async Task MaybeCompactAsync(HnswIndex idx)
    {
        var threshold = Math.Max(options.SnapshotMinLogBytes, (long)(options.SnapshotLogRatio * manifest.State.SnapshotBytes));
        if (logBytes <= threshold) { return; }
        try
        {
            await CompactAsync(idx);
        }
        catch (StorageUnavailableException e)
        {
            LogCompactionFailed(Name, e.Message);   // the write itself is durable in the log; retried after the next write
        }
    }

    /// <summary>With <see cref="VectordStorageOptions.SnapshotOnDeactivate"/>, a graceful deactivation (idle
    /// collection, silo shutdown) of a loaded index with log records after its last snapshot writes a snapshot first,
    /// so the next activation loads it instead of re-inserting those records. A failure here only leaves that replay
    /// to the next activation.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (options.SnapshotOnDeactivate && index is { } idx && !stale && corruptMessage is null && logBytes > 0 && manifest.State.Spec is not null)
        {
            try
            {
                await CompactAsync(idx);
            }
            catch (StorageUnavailableException e)
            {
                LogCompactionFailed(Name, e.Message);
            }
        }
        ForgetSize();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Writes a snapshot at the current sequence number, points the manifest at it and deletes the log
    /// records and snapshots it supersedes.</summary>
    private async Task CompactAsync(HnswIndex idx)
    {
        using var timing = TimeSnapshot();
        var name = Name;
        var generation = manifest.State.Generation;
        var at = seq;
        var key = StorageKeys.Snapshot(name, generation, at);
        var size = await store.TryCreateAsync(key, stream => idx.Save(stream));
        size ??= (await store.ListAsync(key)).FirstOrDefault(o => o.Key == key)?.Length ?? 0;

        var (oldSeq, oldBytes) = (manifest.State.SnapshotSeq, manifest.State.SnapshotBytes);
        manifest.State.SnapshotSeq = at;
        manifest.State.SnapshotBytes = size.Value;
        bool written;
        try
        {
            written = await GrainStateWrites.TryAsync(() => manifest.WriteStateAsync());
        }
        catch (StorageUnavailableException)
        {
            (manifest.State.SnapshotSeq, manifest.State.SnapshotBytes) = (oldSeq, oldBytes);
            throw;
        }
        if (!written)
        {
            MarkStale();
            return;
        }
        logBytes = 0;
        LogCompacted(name, at, size.Value);

        foreach (var record in await store.ListAsync(StorageKeys.WalPrefix(name, generation)))
        {
            if (StorageKeys.TryParseSeq(record.Key, out var s) && s <= at) { await store.DeleteAsync(record.Key); }
        }
        foreach (var snapshot in await store.ListAsync(StorageKeys.SnapshotPrefix(name, generation)))
        {
            if (StorageKeys.TryParseSeq(snapshot.Key, out var s) && s < at) { await store.DeleteAsync(snapshot.Key); }
        }
    }

    // ---------------------------------------------------------------- loading

    private async Task<HnswIndex> EnsureLoadedAsync()
    {
        CheckUsable();
        await manifest.EnsureReadAsync();
        if (corruptMessage is not null) { throw new IndexCorruptException(corruptMessage); }
        _ = Spec;
        if (index is not null) { return index; }
        loading ??= LoadAsync();
        try
        {
            return await loading;
        }
        catch (Exception)
        {
            loading = null;
            throw;
        }
    }

    private async Task<HnswIndex> LoadAsync()
    {
        var name = Name;
        var state = manifest.State;
        var spec = state.Spec!;
        HnswIndex idx;
        if (state.SnapshotSeq > 0)
        {
            var stream = await store.OpenReadAsync(StorageKeys.Snapshot(name, state.Generation, state.SnapshotSeq))
                ?? throw Corrupt($"snapshot {state.SnapshotSeq} is missing");
            await using (stream)
            {
                try
                {
                    idx = await Task.Run(() => HnswIndex.Load(stream));
                }
                catch (HnswFormatException e)
                {
                    throw Corrupt($"snapshot {state.SnapshotSeq}: {e.Message}");
                }
            }
            if (idx.Options.Dimension != spec.Dimension) { throw Corrupt($"snapshot {state.SnapshotSeq} has dimension {idx.Options.Dimension}"); }
        }
        else
        {
            idx = new HnswIndex(ToOptions(spec));
        }

        var expected = state.SnapshotSeq + 1;
        long bytes = 0;
        foreach (var entry in await store.ListAsync(StorageKeys.WalPrefix(name, state.Generation)))
        {
            if (!StorageKeys.TryParseSeq(entry.Key, out var s) || s < expected) { continue; }
            if (s != expected) { throw Corrupt($"log record {expected} is missing"); }
            var record = await ReadRecordAsync(entry.Key, s);
            try
            {
                if (record.Kind == WalKind.Add) { await Task.Run(() => idx.AddBatch(record.Items, maxDegreeOfParallelism: 1)); }
                else { foreach (var id in record.Ids) { idx.Delete(id); } }
            }
            catch (ArgumentException e)
            {
                throw Corrupt($"log record {s}: {e.Message}");
            }
            bytes += entry.Length;
            expected++;
        }
        seq = expected - 1;
        logBytes = bytes;
        sortedIds = null;
        index = idx;
        ReportSize(idx);
        LogLoaded(name, idx.Count, state.SnapshotSeq, seq);
        return idx;
    }

    private async Task<WalRecord> ReadRecordAsync(string key, long s)
    {
        var stream = await store.OpenReadAsync(key) ?? throw Corrupt($"log record {s} is missing");
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            try
            {
                return WalRecord.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), s);
            }
            catch (InvalidDataException e)
            {
                throw Corrupt($"log record {s}: {e.Message}");
            }
        }
    }

    private IndexCorruptException Corrupt(string what)
    {
        corruptMessage = $"index '{Name}' is corrupt: {what}";
        return new IndexCorruptException(corruptMessage);
    }

    private void ResetMemory()
    {
        index = null;
        loading = null;
        corruptMessage = null;
        seq = 0;
        logBytes = 0;
        sortedIds = null;
    }

    private void MarkStale()
    {
        stale = true;
        index = null;
        ForgetSize();
        DeactivateOnIdle();
    }

    private void CheckUsable()
    {
        CheckName();
        if (stale) { throw new StorageUnavailableException(MovedMessage); }
    }

    private void CheckName()
    {
        if (!StorageKeys.IsValidName(Name)) { throw new InvalidIndexArgumentException(StorageKeys.InvalidNameMessage); }
    }

    // ---------------------------------------------------------------- helpers

    private (List<VectorItem> Items, string? Next) Page(HnswIndex idx, string? after, int limit, bool includeVectors)
    {
        var ids = sortedIds ??= SortedIds(idx);
        var start = 0;
        if (after is not null)
        {
            var at = Array.BinarySearch(ids, after, StringComparer.Ordinal);
            start = at >= 0 ? at + 1 : ~at;
        }
        var items = new List<VectorItem>(Math.Min(limit, ids.Length - start));
        var i = start;
        for (; i < ids.Length && items.Count < limit; i++)
        {
            if (idx.TryGet(ids[i], out var item)) { items.Add(includeVectors ? item : item with { Vector = [] }); }
        }
        return (items, i < ids.Length && items.Count > 0 ? items[^1].Id : null);
    }

    private static string[] SortedIds(HnswIndex idx)
    {
        var ids = idx.GetIds().ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        return ids;
    }

    private IndexInfo Info(HnswIndex idx)
    {
        var spec = Spec;
        return new IndexInfo(Name, spec.Dimension, spec.M, spec.EfSearch, spec.Distance, idx.Count);
    }

    private static IndexSpec Validate(IndexSpec spec)
    {
        if (spec is null) { throw new InvalidIndexArgumentException("spec must be set"); }
        if (spec.Dimension is < 1 or > 65536) { throw new InvalidIndexArgumentException("dimension must be between 1 and 65536"); }
        if (spec.M != 0 && spec.M is < 2 or > 128) { throw new InvalidIndexArgumentException("m must be 0 (default) or between 2 and 128"); }
        if (spec.EfSearch != 0 && spec.EfSearch is < 1 or > 10000) { throw new InvalidIndexArgumentException("ef_search must be 0 (default) or between 1 and 10000"); }
        if (!Enum.IsDefined(spec.Distance)) { throw new InvalidIndexArgumentException("unknown distance"); }
        return spec with
        {
            M = spec.M == 0 ? HnswOptions.DefaultM : spec.M,
            EfSearch = spec.EfSearch == 0 ? HnswOptions.DefaultEfSearch : spec.EfSearch,
        };
    }

    private static HnswOptions ToOptions(IndexSpec spec) => new(
        spec.Dimension,
        spec.Distance switch
        {
            IndexDistance.Euclidean => DistanceKind.Euclidean,
            IndexDistance.Dot => DistanceKind.Dot,
            _ => DistanceKind.Cosine,
        },
        M: spec.M,
        EfSearch: spec.EfSearch);

    /// <summary>Checks one incoming item and converts it; returns what is wrong, or null.</summary>
    private static string? CheckItem(HnswIndex idx, IndexSpec spec, IndexItem item, out VectorItem? converted)
    {
        converted = null;
        if (string.IsNullOrEmpty(item.Id)) { return "empty id"; }
        if (!IsWellFormed(item.Id)) { return "id is not valid Unicode text"; }
        var vector = item.Vector ?? [];
        if (vector.Length != spec.Dimension) { return $"dim mismatch (index={spec.Dimension}, got={vector.Length})"; }
        var problem = CheckVector(vector, spec) ?? idx.ValidateVector(vector);
        if (problem is not null) { return problem; }
        byte[]? metadata = null;
        if (item.Metadata is not null)
        {
            metadata = EncodeMetadata(item.Metadata);
            if (metadata is null) { return "metadata is not valid JSON"; }
        }
        converted = new VectorItem(item.Id, vector.ToArray(), metadata);
        return null;
    }

    private static string? CheckVector(float[] vector, IndexSpec spec)
    {
        double squares = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i])) { return $"non-finite component at {i}"; }
            squares += (double)vector[i] * vector[i];
        }
        return spec.Distance == IndexDistance.Cosine && squares == 0 ? "zero vector under cosine distance" : null;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; }
            else if (char.IsSurrogate(text[i])) { return false; }
        }
        return true;
    }

    /// <summary>The UTF-8 of <paramref name="json"/> when it is one well-formed JSON value, else null.</summary>
    private static byte[]? EncodeMetadata(string json)
    {
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read()) { return null; }
            reader.Skip();
            while (reader.Read()) { }
            return bytes;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? DecodeMetadata(byte[]? metadata) => metadata is null ? null : Encoding.UTF8.GetString(metadata);

    private static IndexItem ToContract(VectorItem item, bool includeVector) =>
        new(item.Id, includeVector ? item.Vector : [], DecodeMetadata(item.Metadata));

    private static ulong Fingerprint(VectorItem item)
    {
        var hash = new XxHash64();
        hash.Append(MemoryMarshal.AsBytes(item.Vector.AsSpan()));
        if (item.Metadata is null) { hash.Append([0]); }
        else { hash.Append([1]); hash.Append(item.Metadata); }
        return hash.GetCurrentHashAsUInt64();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Index {Name} loaded: {Count} items (snapshot {SnapshotSeq}, log up to {Seq})")]
    private partial void LogLoaded(string name, int count, long snapshotSeq, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Index {Name} compacted: snapshot at {Seq}, {Bytes} bytes")]
    private partial void LogCompacted(string name, long seq, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index {Name}: snapshot failed, the log keeps every write: {Reason}")]
    private partial void LogCompactionFailed(string name, string reason);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Index {Name} dropped, but some of its data could not be deleted yet: {Reason}")]
    private partial void LogLeftovers(string name, string reason);
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Vectord.Gateway.Tests;

public static class ScratchHosting
{
    public static ISiloBuilder AddVectord(this ISiloBuilder silo, IConfiguration configuration) => silo;
}

public sealed class ScratchCatalog : Grain, IIndexCatalogGrain
{
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);
    public Task<string[]> ListNamesAsync() => Task.FromResult(_names.ToArray());
    public Task RegisterAsync(string name) { _names.Add(name); return Task.CompletedTask; }
    public Task UnregisterAsync(string name) { _names.Remove(name); return Task.CompletedTask; }
}

public sealed partial class ScratchIndex : Grain, IVectorIndexGrain
{
    private IndexInfo? _info;
    private readonly SortedDictionary<string, IndexItem> _items = new(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex NameRx();

    private string Name
    {
        get
        {
            string n = this.GetPrimaryKeyString();
            return NameRx().IsMatch(n) ? n : throw new InvalidIndexArgumentException("invalid index name");
        }
    }

    private IndexInfo Info => (Name is var _ && _info is not null) ? _info with { Length = _items.Count } : throw new IndexNotFoundException("index not found");

    public async Task<IndexInfo> CreateAsync(IndexSpec spec)
    {
        string name = Name;
        if (_info is not null) throw new IndexAlreadyExistsException("index already exists");
        if (spec.Dimension is < 1 or > 65536) throw new InvalidIndexArgumentException("dimension must be 1-65536");
        if (spec.M != 0 && spec.M is < 2 or > 128) throw new InvalidIndexArgumentException("m must be 2-128");
        if (spec.EfSearch != 0 && spec.EfSearch is < 1 or > 10000) throw new InvalidIndexArgumentException("ef_search must be 1-10000");
        _info = new IndexInfo(name, spec.Dimension, spec.M == 0 ? 16 : spec.M, spec.EfSearch == 0 ? 64 : spec.EfSearch, spec.Distance, 0);
        await GrainFactory.GetGrain<IIndexCatalogGrain>(0).RegisterAsync(name);
        return Info;
    }

    public Task<IndexInfo> GetInfoAsync() => Task.FromResult(Info);

    public async Task DropAsync()
    {
        _ = Info;
        _info = null;
        _items.Clear();
        await GrainFactory.GetGrain<IIndexCatalogGrain>(0).UnregisterAsync(Name);
    }

    public Task<AddResult> AddAsync(IndexItem[] items)
    {
        var info = Info;
        if (items.Length == 0) throw new InvalidIndexArgumentException("items must be non-empty");
        for (int j = 0; j < items.Length; j++)
        {
            var it = items[j];
            if (string.IsNullOrEmpty(it.Id)) throw new InvalidIndexArgumentException($"items[{j}]: empty id");
            if (it.Vector.Length != info.Dimension) throw new InvalidIndexArgumentException($"items[{j}]: dim mismatch (index={info.Dimension}, got={it.Vector.Length})");
            if (it.Vector.Any(f => !float.IsFinite(f))) throw new InvalidIndexArgumentException($"items[{j}]: non-finite component");
            if (info.Distance == IndexDistance.Cosine && it.Vector.All(f => f == 0)) throw new InvalidIndexArgumentException($"items[{j}]: zero vector under cosine");
            if (it.Metadata is not null) { using var _ = JsonDocument.Parse(it.Metadata); }
        }
        foreach (var it in items) _items[it.Id] = it;
        return Task.FromResult(new AddResult(items.Length, _items.Count));
    }

    public Task<DeleteResult> DeleteAsync(string[] ids)
    {
        _ = Info;
        if (ids.Length == 0) throw new InvalidIndexArgumentException("ids must be non-empty");
        int n = ids.Count(id => _items.Remove(id));
        return Task.FromResult(new DeleteResult(n, _items.Count));
    }

    public Task<IndexItem?> GetItemAsync(string id) { _ = Info; return Task.FromResult(_items.GetValueOrDefault(id)); }

    public Task<SearchHit[]> SearchAsync(float[] vector, int k = 10, int? ef = null)
    {
        var info = Info;
        if (vector.Length != info.Dimension) throw new InvalidIndexArgumentException($"dim mismatch (index={info.Dimension}, got={vector.Length})");
        if (vector.Any(f => !float.IsFinite(f))) throw new InvalidIndexArgumentException("non-finite component");
        k = k <= 0 ? 10 : Math.Min(k, 1000);
        return Task.FromResult(_items.Values.Select(i => new SearchHit(i.Id, Dist(info.Distance, vector, i.Vector), i.Metadata))
            .OrderBy(h => h.Distance).Take(k).ToArray());
    }

    private static float Dist(IndexDistance d, float[] q, float[] v)
    {
        double dot = 0, nq = 0, nv = 0, l2 = 0;
        for (int i = 0; i < q.Length; i++) { dot += q[i] * v[i]; nq += q[i] * q[i]; nv += v[i] * v[i]; l2 += (q[i] - v[i]) * (q[i] - v[i]); }
        return d switch { IndexDistance.Cosine => (float)(1 - dot / Math.Sqrt(nq * nv)), IndexDistance.Euclidean => (float)Math.Sqrt(l2), _ => (float)-dot };
    }

    public async Task<MergeResult> MergeIntoAsync(string destination, bool clearSource)
    {
        if (_info is null) throw new IndexNotFoundException("source not found");
        if (string.IsNullOrEmpty(destination) || destination == Name) throw new InvalidIndexArgumentException("dest must be set and differ from source");
        var dest = GrainFactory.GetGrain<IVectorIndexGrain>(destination);
        IndexInfo di;
        try { di = await dest.GetInfoAsync(); } catch (IndexNotFoundException) { throw new IndexNotFoundException("dest not found"); }
        if (di.Dimension != _info.Dimension) throw new InvalidIndexArgumentException("dimension differs");
        int merged = 0, skipped = 0, failed = 0; string? first = null;
        foreach (var it in _items.Values.ToArray())
        {
            if (await dest.GetItemAsync(it.Id) is not null) { skipped++; if (clearSource) _items.Remove(it.Id); continue; }
            try { await dest.AddAsync([it]); merged++; if (clearSource) _items.Remove(it.Id); }
            catch (InvalidIndexArgumentException e) { failed++; first ??= e.Message; }
        }
        di = await dest.GetInfoAsync();
        return new MergeResult(merged, skipped, failed, di.Length, _items.Count, first);
    }

    public Task<ItemPage> ListItemsAsync(string? after = null, int limit = 100, bool includeVectors = false)
    {
        _ = Info;
        var page = _items.Values.Where(i => after is null || string.CompareOrdinal(i.Id, after) > 0).Take(limit + 1).ToArray();
        var items = page.Take(limit).Select(i => includeVectors ? i : i with { Vector = [] }).ToArray();
        return Task.FromResult(new ItemPage(items, page.Length > limit ? items[^1].Id : null));
    }
}

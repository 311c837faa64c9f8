using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Vectord.Hnsw;

public sealed partial class HnswIndex
{
    /// <summary>Batches with fewer new items than this are inserted on the calling thread.</summary>
    private const int ParallelThreshold = 64;

    /// <summary>Adds or replaces (upsert) items; duplicate ids in one batch: the last wins. Validates the whole
    /// batch first and throws <see cref="ArgumentException"/> before changing anything when any item is bad.
    /// Large batches are inserted in parallel on up to <paramref name="maxDegreeOfParallelism"/> threads (-1 = all cores).</summary>
    /// <returns>The number of items applied.</returns>
    /// <exception cref="ArgumentException">An item is bad; the message starts with <c>items[j]: </c>.</exception>
    /// <remarks>With named vectors each item's vector is the concatenation of one of each
    /// (<see cref="VectorSpaces.Concat"/>): each goes to its own graph.</remarks>
    public int AddBatch(IReadOnlyList<VectorItem> items, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(items);
        CheckBatch(items, _options);   // with named vectors, each part by its own vector's rule
        return _options.Vectors is null ? AddOwn(items, maxDegreeOfParallelism) : AddSpaced(items, maxDegreeOfParallelism);
    }

    /// <summary>Throws for the first bad item of <paramref name="items"/> under <paramref name="rule"/>.</summary>
    private static void CheckBatch(IReadOnlyList<VectorItem> items, HnswOptions rule)
    {
        for (int j = 0; j < items.Count; j++)
        {
            string? problem = items[j] switch
            {
                null => "missing item",
                { Id: null or "" } => "empty id",
                { Vector: null } => "missing vector",
                var item => rule.CheckVector(item.Vector),
            };
            if (problem is not null)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"items[{j}]: {problem}"));
            }
        }
    }

    /// <summary>Adds or replaces checked items in this index's own graph, their vectors its own (see <see cref="AddBatch"/>).</summary>
    private int AddOwn(IReadOnlyList<VectorItem> items, int maxDegreeOfParallelism)
    {
        if (items.Count == 0)
        {
            return 0;
        }

        // An id in quarantine is released first: the batch replaces it with a vector the rule accepts.
        for (int j = 0; j < items.Count && _quarantined.Count > 0; j++)
        {
            if (_slots.TryGetValue(items[j].Id, out int held) && _quarantined.Contains(held))
            {
                Delete(items[j].Id);
            }
        }

        // Duplicate ids: the last occurrence wins.
        var last = new Dictionary<string, int>(items.Count, StringComparer.Ordinal);
        for (int j = 0; j < items.Count; j++)
        {
            last[items[j].Id] = j;
        }
        var inPlace = new List<(int Slot, VectorItem Item)>();
        var fresh = new List<VectorItem>();
        for (int j = 0; j < items.Count; j++)
        {
            VectorItem item = items[j];
            if (last[item.Id] != j)
            {
                continue;
            }
            if (_slots.TryGetValue(item.Id, out int slot))
            {
                inPlace.Add((slot, item));
            }
            else
            {
                fresh.Add(item);
            }
        }

        // Tombstones are reused first, so memory follows the live count rather than the history of writes.
        int reused = Math.Min(_free.Count, fresh.Count);
        _vectors.CheckLength();
        EnsureCapacity(_slotCount + fresh.Count - reused);
        int dop = maxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        int added = fresh.Count - reused;
        if (dop > 1 && added >= ParallelThreshold)
        {
            // A parallel build: readers wait for the whole of it.
            using var building = _gate.Write();
            _locks ??= NewLocks();
            _concurrent = true;
            try
            {
                Apply(inPlace, fresh, reused, dop);
            }
            finally
            {
                _concurrent = false;
            }
        }
        else
        {
            Apply(inPlace, fresh, reused, 1);
        }
        TrainQuantizerWhenDue();
        return last.Count;
    }

    /// <summary>Applies a checked batch: replacements in place, tombstones reused, then new slots. Each step that
    /// readers could observe is taken inside the gate (see the remarks on the class), unless a parallel build holds it.</summary>
    private void Apply(List<(int Slot, VectorItem Item)> inPlace, List<VectorItem> fresh, int reused, int dop)
    {
        for (int i = 0; i < reused; i++)
        {
            using var writing = Exclusive();
            int slot = _free.Dequeue();
            VectorItem item = fresh[i];
            _ids[slot] = item.Id;
            _slots[item.Id] = slot;
            _idChars += item.Id.Length;
            _deleted[slot] = false;
            _live.Add(slot);
            _liveCount++;
            SetMetadata(slot, item.Metadata);
            ReplaceVector(slot, item.Vector);
        }
        foreach ((int slot, VectorItem item) in inPlace)
        {
            using var writing = Exclusive();
            SetMetadata(slot, item.Metadata);
            ReplaceVector(slot, item.Vector);
        }

        int first = _slotCount;
        int added = fresh.Count - reused;
        using (Exclusive())
        {
            // New items are published before they are linked: a search reaches a node only through links, which it
            // gets after its id, vector and level are in place.
            PublishNew(fresh, reused, first, added);
        }

        if (_linksGiven || _dim == 0)
        {
            return;   // a follower: the writer's link lists follow (HnswIndex.Follow.cs); or no vectors, no graph
        }
        int next = first;
        if (added > 0 && _entryPoint < 0)
        {
            InsertNode(next++);
        }
        if (dop > 1)
        {
            Parallel.For(next, first + added, new ParallelOptions { MaxDegreeOfParallelism = dop }, InsertNode);
        }
        else
        {
            for (; next < first + added; next++)
            {
                InsertNode(next);
            }
        }
    }

    private void PublishNew(List<VectorItem> fresh, int reused, int first, int added)
    {
        for (int i = 0; i < added; i++)
        {
            int slot = first + i;
            VectorItem item = fresh[reused + i];
            _ids[slot] = item.Id;
            _slots[item.Id] = slot;
            _idChars += item.Id.Length;
            _deleted[slot] = false;
            _live.Add(slot);
            SetMetadata(slot, item.Metadata);
            StoreVector(slot, item.Vector);
            int level = _dim == 0 ? 0 : DrawLevel(item.Id);
            _levels[slot] = (byte)level;
            _links0[slot * _stride0] = 0;
            if (level > 0)
            {
                _upper[slot] = new int[level * (_m + 1)];
                _upperInts += level * (_m + 1);
            }
        }
        _slotCount += added;
        _liveCount += added;
    }

    /// <summary>The layer of a new node: −ln(u)·mL with u uniform in (0, 1], drawn from a seeded hash of the id so
    /// that it depends neither on the order of earlier writes nor on whether the index was saved and loaded since.</summary>
    private int DrawLevel(string id)
    {
        ulong hash = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan()), _options.Seed);
        double u = ((hash >> 11) + 1) * (1.0 / (1UL << 53));
        return (int)Math.Min(-Math.Log(u) * _levelMultiplier, MaxLevelCap);
    }

    /// <summary>Writes the unit vector of a non-zero <paramref name="vector"/> to <paramref name="target"/>, scaled in
    /// double: a float scale would overflow for a vector whose norm is below 1/float.MaxValue (subnormal components),
    /// where the double one gives the proper unit vector.</summary>
    internal static void Normalize(ReadOnlySpan<float> vector, Span<float> target)
    {
        double scale = 1.0 / Math.Sqrt(SquaredNorm(vector));
        for (int i = 0; i < vector.Length; i++)
        {
            target[i] = (float)(vector[i] * scale);
        }
    }

    /// <summary>Copies a validated vector into its slot (unit-normalised under cosine), and its codes once the
    /// quantizer is trained.</summary>
    private void StoreVector(int slot, float[] vector)
    {
        Span<float> target = VectorOf(slot);
        if (_kind == DistanceKind.Cosine)
        {
            Normalize(vector, target);
        }
        else
        {
            vector.CopyTo(target);
        }
        SetVectorSum(slot);
        if (_quantizer is { } quantizer)
        {
            Encode(quantizer, slot, _codes);
        }
    }
}

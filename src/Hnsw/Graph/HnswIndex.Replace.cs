using Vectord.Hnsw.Distance;
using Vectord.Hnsw.Graph;

namespace Vectord.Hnsw;

// Replacing a stored item's vector (an upsert, or a reused tombstone): the new vector is stored in the slot, the
// slot's old neighbours are repaired, and the slot is linked again as a new node would be.
public sealed partial class HnswIndex
{
    private void ReplaceVector(int slot, float[] vector)
    {
        if (_dim == 0)
        {
            return;   // no vectors, no graph
        }
        if (_kind == DistanceKind.Euclidean)
        {
            ReplaceVector<L2Space>(slot, vector);
        }
        else
        {
            ReplaceVector<NegativeDotSpace>(slot, vector);
        }
    }

    /// <summary>Gives an existing slot (a live item being replaced, or a reused tombstone) a new vector and repairs
    /// the graph around it, then connects the slot again as if newly inserted (keeping its level).</summary>
    /// <remarks>The old neighbours may have been reachable only through this slot. Each one that linked back to it
    /// re-selects its links among its own and the slot's old neighbours, and every link it gains is made two-way
    /// (as on insert); and each one gets an in-link from its nearest fellow old neighbour, replacing the one from
    /// this slot.</remarks>
    private void ReplaceVector<TSpace>(int slot, float[] vector) where TSpace : struct, ISpace
    {
        int level = _levels[slot];
        var old = new int[level + 1][];
        for (int l = 0; l <= level; l++)
        {
            Span<int> block = LinkBlock(slot, l);
            old[l] = block.Slice(1, block[0]).ToArray();
        }
        StoreVector(slot, vector);
        if (_linksGiven)
        {
            return;   // a follower: the writer's link lists follow (HnswIndex.Follow.cs)
        }

        SearchScratch scratch = SearchScratch.Current;
        for (int l = 0; l <= level; l++)
        {
            foreach (int neighbour in old[l])
            {
                Span<int> block = LinkBlock(neighbour, l);
                if (block.Slice(1, block[0]).Contains(slot))
                {
                    RepairLinks<TSpace>(neighbour, l, slot, old[l], scratch);
                }
                LinkFromNearest<TSpace>(neighbour, l, slot, old[l], scratch);
            }
        }

        if (_entryPoint < 0)
        {
            // Every other slot was taken out of the graph at load (see QuarantineRefused): this one starts it again.
            (_entryPoint, _maxLevel) = (slot, level);
        }
        else if (_slotCount > 1)
        {
            Connect<TSpace>(slot, level, _entryPoint, _maxLevel, writerInside: true);
        }
    }

    /// <summary>Drops <paramref name="moved"/> from the links of <paramref name="node"/>, keeps the others (dropping
    /// one could leave its target without an in-link), adds those of <paramref name="extra"/> the selection
    /// heuristic accepts while there is room, and adds the reverse of every link gained.</summary>
    private void RepairLinks<TSpace>(int node, int level, int moved, int[] extra, SearchScratch scratch) where TSpace : struct, ISpace
    {
        Span<int> block = LinkBlock(node, level);
        int count = block[0];
        int max = MaxLinks(level);
        Span<int> links = SearchScratch.Take(ref scratch.OldLinks, max);
        int kept = 0;
        foreach (int other in block.Slice(1, count))
        {
            if (other != moved)
            {
                links[kept++] = other;
            }
        }
        Span<Candidate> candidates = SearchScratch.Take(ref scratch.PruneCandidates, extra.Length);
        ref float nodeVector = ref VectorRef(node);
        int n = 0;
        foreach (int other in extra)
        {
            if (other != node && other != moved && !links[..kept].Contains(other) && _levels[other] >= level)
            {
                candidates[n++] = new Candidate(TSpace.Distance(ref nodeVector, ref VectorRef(other), (nuint)_dim), other);
            }
        }
        candidates = candidates[..n];
        SortByDistance(candidates);
        int first = kept;
        foreach (Candidate c in candidates)
        {
            if (kept == max)
            {
                break;
            }
            ref float vector = ref VectorRef(c.Node);
            bool keep = true;
            for (int i = 0; i < kept; i++)
            {
                if (TSpace.Distance(ref vector, ref VectorRef(links[i]), (nuint)_dim) < c.Distance)
                {
                    keep = false;
                    break;
                }
            }
            if (keep)
            {
                links[kept++] = c.Node;
            }
        }
        Touched(node, level);
        block[0] = kept;
        links[..kept].CopyTo(block[1..]);
        for (int i = first; i < kept; i++)
        {
            int gained = links[i];
            AddLink<TSpace>(gained, node, level, TSpace.Distance(ref nodeVector, ref VectorRef(gained), (nuint)_dim), scratch);
        }
    }

    /// <summary>Links the nearest of <paramref name="others"/> (other than <paramref name="node"/> and
    /// <paramref name="moved"/>) to <paramref name="node"/>, which has just lost its in-link from the moved slot.</summary>
    private void LinkFromNearest<TSpace>(int node, int level, int moved, int[] others, SearchScratch scratch) where TSpace : struct, ISpace
    {
        ref float nodeVector = ref VectorRef(node);
        int nearest = -1;
        float best = float.PositiveInfinity;
        foreach (int other in others)
        {
            if (other == node || other == moved || _levels[other] < level)
            {
                continue;
            }
            float d = TSpace.Distance(ref nodeVector, ref VectorRef(other), (nuint)_dim);
            if (nearest < 0 || d < best)
            {
                nearest = other;
                best = d;
            }
        }
        if (nearest >= 0)
        {
            AddLink<TSpace>(nearest, node, level, best, scratch);
        }
    }
}

using System.Text;
using Vectord.Hnsw.Storage;

namespace Vectord.Hnsw;

// Reading a saved image (the format is described in HnswIndex.Persistence.cs): each section of one graph's image into
// the slot arrays, then the checks of what they hold together before the index is used.
public sealed partial class HnswIndex
{
    /// <summary>Reads one section. A structural problem is reported only when the checksum matches;
    /// otherwise the checksum mismatch is.</summary>
    private static void ReadSection(SectionReader reader, SectionTag tag, string name, Action<SectionReader> read)
    {
        reader.BeginSection(tag, name);
        string? problem = null;
        try
        {
            read(reader);
            if (reader.Remaining != 0)
            {
                problem = $"section {name} is longer than its content";
            }
        }
        catch (SectionCorruptException e)
        {
            problem = e.Message;
        }
        reader.Drain();
        if (!reader.EndSection())
        {
            throw new HnswFormatException($"checksum mismatch in section {name}");
        }
        if (problem is not null)
        {
            throw new HnswFormatException(problem);
        }
    }

    private void ReadIds(SectionReader reader)
    {
        byte[] buffer = new byte[256];
        for (int i = 0; i < _slotCount; i++)
        {
            byte state = reader.ReadByte();
            if (state == 0)
            {
                _deleted[i] = true;
                continue;
            }
            if (state != 1)
            {
                throw new SectionCorruptException($"bad slot state {state} in section ids");
            }
            int length = reader.ReadInt32();
            if (length <= 0 || length > reader.Remaining)
            {
                throw new SectionCorruptException($"bad id length {length} in section ids");
            }
            if (buffer.Length < length)
            {
                buffer = new byte[length];
            }
            reader.ReadBytes(buffer.AsSpan(0, length));
            string id;
            try
            {
                id = new UTF8Encoding(false, true).GetString(buffer, 0, length);
            }
            catch (DecoderFallbackException)
            {
                throw new SectionCorruptException("invalid UTF-8 id in section ids");
            }
            if (!_slots.TryAdd(id, i))
            {
                throw new SectionCorruptException($"duplicate id '{id}' in section ids");
            }
            _ids[i] = id;
            _idChars += id.Length;
            _live.Add(i);
        }
    }

    private void ReadMetadata(SectionReader reader)
    {
        for (int i = 0; i < _slotCount; i++)
        {
            int length = reader.ReadInt32();
            if (length == -1)
            {
                continue;
            }
            if (length < 0 || length > reader.Remaining)
            {
                throw new SectionCorruptException($"bad metadata length {length} in section metadata");
            }
            if (_ids[i] is null)
            {
                throw new SectionCorruptException($"metadata on deleted slot {i} in section metadata");
            }
            byte[] metadata = new byte[length];
            reader.ReadBytes(metadata);
            SetMetadata(i, metadata);
        }
    }

    private void ReadVectors(SectionReader reader)
    {
        reader.ReadSingles(_vectors.Slice(0, _slotCount * _dim));
        for (int slot = 0; slot < _slotCount; slot++)
        {
            SetVectorSum(slot);
        }
    }

    private void ReadGraph(SectionReader reader)
    {
        reader.ReadBytes(_levels.AsSpan(0, _slotCount));
        reader.ReadInt32s(_links0.AsSpan(0, _slotCount * _stride0));
        for (int i = 0; i < _slotCount; i++)
        {
            int level = _levels[i];
            if (level == 0)
            {
                continue;
            }
            if (level > MaxLevelCap || 4L * level * (_m + 1) > reader.Remaining)
            {
                throw new SectionCorruptException($"bad level {level} of slot {i} in section graph");
            }
            var upper = new int[level * (_m + 1)];
            reader.ReadInt32s(upper);
            _upper[i] = upper;
            _upperInts += upper.Length;
        }
    }

    /// <summary>Checks the structural invariants of a freshly read index, then quarantines the items whose vectors
    /// the rule refuses (see <see cref="QuarantinedCount"/>) instead of refusing the whole index for them.</summary>
    private void ValidateLoaded(int live, int entry, int maxLevel)
    {
        if (_slots.Count != live)
        {
            throw new HnswFormatException($"live count {live} in header differs from {_slots.Count} ids");
        }
        _liveCount = live;
        if (_slotCount == 0)
        {
            if (entry != -1 || maxLevel != -1)
            {
                throw new HnswFormatException("entry point set on an empty index");
            }
            return;
        }
        if (live == 0)
        {
            throw new HnswFormatException("tombstones without live items");
        }
        if (_dim == 0)
        {
            ValidateNoGraph(entry, maxLevel);
        }
        else
        {
            ValidateGraph(entry, maxLevel);
        }
        _entryPoint = entry;
        _maxLevel = maxLevel;
        _liveCount -= QuarantineRefused();
        for (int i = _slotCount - 1; i >= 0; i--)
        {
            if (_deleted[i] && !_quarantined.Contains(i))
            {
                _free.Enqueue(i, i);
            }
        }
    }

    /// <summary>An index without vectors has no graph: every slot on layer 0 without links, and no entry point.</summary>
    private void ValidateNoGraph(int entry, int maxLevel)
    {
        for (int i = 0; i < _slotCount; i++)
        {
            if (_levels[i] != 0 || _links0[i] != 0)
            {
                throw new HnswFormatException($"slot {i} of an index without vectors has links or a level");
            }
        }
        if (entry != -1 || maxLevel != -1)
        {
            throw new HnswFormatException($"entry point {entry} (max level {maxLevel}) set on an index without vectors");
        }
    }

    /// <summary>Every link within range and to a node on its layer, and the entry point on the top layer.</summary>
    private void ValidateGraph(int entry, int maxLevel)
    {
        int highest = 0;
        for (int i = 0; i < _slotCount; i++)
        {
            highest = Math.Max(highest, _levels[i]);
            for (int level = 0; level <= _levels[i]; level++)
            {
                Span<int> block = LinkBlock(i, level);
                int count = block[0];
                if (count < 0 || count > MaxLinks(level))
                {
                    throw new HnswFormatException($"link count {count} of slot {i} on layer {level} out of range");
                }
                foreach (int target in block.Slice(1, count))
                {
                    if ((uint)target >= (uint)_slotCount || target == i || _levels[target] < level)
                    {
                        throw new HnswFormatException($"link target {target} of slot {i} on layer {level} out of range");
                    }
                }
            }
        }
        if ((uint)entry >= (uint)_slotCount || maxLevel != highest || _levels[entry] != maxLevel)
        {
            throw new HnswFormatException($"invalid entry point {entry} (max level {maxLevel})");
        }
    }
}

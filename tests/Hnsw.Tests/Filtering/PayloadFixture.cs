using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>A payload index over items "i0", "i1", … in slots 0, 1, …, each with the metadata given as JSON text
/// (null for none), and the live set the way the engine keeps it.</summary>
internal sealed class PayloadFixture
{
    private readonly List<byte[]?> _metadata = [];
    private readonly List<PayloadEntry> _entries = [];

    public PayloadIndex Index { get; } = new();

    public SlotSet Live { get; private set; } = new(0);

    public static PayloadFixture Of(params string?[] items)
    {
        var fixture = new PayloadFixture();
        foreach (string? json in items)
        {
            fixture.Append(json);
        }
        return fixture;
    }

    public static string Id(int slot) => string.Create(CultureInfo.InvariantCulture, $"i{slot}");

    public static int SlotOf(string id) =>
        id.StartsWith('i') && int.TryParse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int slot) ? slot : -1;

    public int Count => _metadata.Count;

    public byte[]? Metadata(int slot) => _metadata[slot];

    /// <summary>Adds an item in the next slot.</summary>
    public void Append(string? json)
    {
        _metadata.Add(json is null ? null : Encoding.UTF8.GetBytes(json));
        var live = new SlotSet(_metadata.Count);
        live.UnionWith(Live);
        Live = live;
        Put(_metadata.Count - 1);
    }

    /// <summary>Deletes the item in <paramref name="slot"/>.</summary>
    public void Delete(int slot)
    {
        Index.Remove(slot, Extract(_metadata[slot], out _));
        Live.Remove(slot);
    }

    /// <summary>Replaces the metadata of the live item in <paramref name="slot"/>.</summary>
    public void Replace(int slot, string? json)
    {
        Index.Remove(slot, Extract(_metadata[slot], out _));
        _metadata[slot] = json is null ? null : Encoding.UTF8.GetBytes(json);
        Put(slot);
    }

    public int[] Match(PayloadFilter filter)
    {
        var matched = Index.Evaluate(filter, Live, SlotOf);
        Assert.Equal(Live.Capacity, matched.Capacity);
        var slots = new List<int>();
        foreach (int slot in matched)
        {
            Assert.True(Live.Contains(slot), $"slot {slot} matched but is not live");
            slots.Add(slot);
        }
        return [.. slots];
    }

    private void Put(int slot)
    {
        Index.Add(slot, Extract(_metadata[slot], out bool partial), partial);
        Live.Add(slot);
    }

    /// <summary>The entries of <paramref name="metadata"/>, as the index extracts them; <paramref name="partial"/>
    /// when they are not all it holds.</summary>
    private ReadOnlySpan<PayloadEntry> Extract(byte[]? metadata, out bool partial)
    {
        partial = PayloadDocument.Extract(metadata, _entries) != PayloadExtraction.Complete;
        return CollectionsMarshal.AsSpan(_entries);
    }
}

/// <summary>Short spellings of filter values for tests.</summary>
internal static class V
{
    public static PayloadValue S(string text) => PayloadValue.Of(text);

    public static PayloadValue N(double number) => PayloadValue.Of(number);

    public static PayloadValue B(bool boolean) => PayloadValue.Of(boolean);
}

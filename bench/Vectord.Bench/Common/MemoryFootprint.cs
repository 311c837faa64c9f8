using System.Runtime;

namespace Vectord.Bench.Common;

/// <summary>The process's memory at one moment, after a full compacting collection: what live objects take on the
/// managed heap, the heap as the collector sizes it (fragmentation included) and the resident set.</summary>
/// <param name="LiveBytes">Bytes of live managed objects (<see cref="GC.GetTotalMemory(bool)"/>).</param>
/// <param name="HeapBytes">The managed heap after the collection (<see cref="GCMemoryInfo.HeapSizeBytes"/>).</param>
/// <param name="RssBytes">The resident set of the process (<see cref="Environment.WorkingSet"/>).</param>
internal readonly record struct MemoryFootprint(long LiveBytes, long HeapBytes, long RssBytes)
{
    /// <summary>Collects everything collectable (the large-object heap compacted too), then measures.</summary>
    public static MemoryFootprint Measure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        Timing.SettleMemory();
        var live = GC.GetTotalMemory(forceFullCollection: false);
        var heap = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
        return new MemoryFootprint(live, heap, Environment.WorkingSet);
    }

    /// <summary>What <paramref name="count"/> things added, each, from <paramref name="before"/> to this.</summary>
    public MemoryFootprint PerItemSince(MemoryFootprint before, int count) => new(
        (LiveBytes - before.LiveBytes) / count, (HeapBytes - before.HeapBytes) / count, (RssBytes - before.RssBytes) / count);
}

using System.Globalization;
using System.Text.Json.Serialization;

namespace Vectord.Bench.Modes;

/// <summary>The tenants of a <c>tenants</c> run: index number <c>t</c> is named <see cref="Name"/> and holds
/// <see cref="Items"/> vectors drawn from a generator seeded with <c>t</c>, so any phase can rebuild what an index
/// holds without keeping it. Index number <see cref="Indexes"/> is the warm-up index.</summary>
internal sealed record TenantShape(int Indexes, int Items, int Dimension)
{
    public static string Name(int tenant) => string.Create(CultureInfo.InvariantCulture, $"tenant-{tenant:D6}");

    /// <summary>Item <paramref name="i"/>'s id, a new string on every call: in one process the grains keep the
    /// strings they are given, and ids shared by every index (the runtime caches the strings of small numbers) would
    /// leave their cost out of the figure, where a real client's requests bring each index its own.</summary>
    public static string ItemId(int i) => string.Create(CultureInfo.InvariantCulture, $"item-{i:D2}");

    /// <summary>The items of index <paramref name="tenant"/>, in id order (<see cref="ItemId"/>).</summary>
    public float[][] Vectors(int tenant)
    {
        var random = new Random(tenant);
        var vectors = new float[Items][];
        for (var i = 0; i < Items; i++)
        {
            vectors[i] = new float[Dimension];
            for (var d = 0; d < Dimension; d++) { vectors[i][d] = random.NextSingle(); }
        }
        return vectors;
    }
}

/// <summary>One JSON line of the <c>tenants</c> mode (bytes per index are over the empty silo, after a full collection).</summary>
internal sealed record TenantsResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("indexes")] int Indexes,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("create_seconds")] double CreateSeconds,
    [property: JsonPropertyName("fill_seconds")] double FillSeconds,
    [property: JsonPropertyName("engine_bytes_per_index")] long EngineBytesPerIndex,
    [property: JsonPropertyName("live_bytes_per_index")] long LiveBytesPerIndex,
    [property: JsonPropertyName("heap_bytes_per_index")] long HeapBytesPerIndex,
    [property: JsonPropertyName("rss_bytes_per_index")] long RssBytesPerIndex,
    [property: JsonPropertyName("stop_seconds")] double StopSeconds,
    [property: JsonPropertyName("silo_start_seconds")] double SiloStartSeconds,
    [property: JsonPropertyName("all_answering_seconds")] double AllAnsweringSeconds,
    [property: JsonPropertyName("preload_seconds")] double PreloadSeconds,
    [property: JsonPropertyName("live_bytes_per_index_after_restart")] long LiveBytesPerIndexAfterRestart,
    [property: JsonPropertyName("rss_bytes_per_index_after_restart")] long RssBytesPerIndexAfterRestart,
    [property: JsonPropertyName("memory_goal_bytes")] long MemoryGoalBytes,
    [property: JsonPropertyName("restart_goal_seconds")] double RestartGoalSeconds,
    [property: JsonPropertyName("create_goal_seconds")] double CreateGoalSeconds,
    [property: JsonPropertyName("goal_met")] bool GoalMet);

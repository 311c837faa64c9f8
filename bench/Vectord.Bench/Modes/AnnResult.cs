using System.Text.Json.Serialization;

namespace Vectord.Bench.Modes;

/// <summary>One JSON line of the <c>ann</c> mode: one (build, ef) measurement.</summary>
internal sealed record AnnResult(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("m")] int M,
    [property: JsonPropertyName("ef_construction")] int EfConstruction,
    [property: JsonPropertyName("ef")] int Ef,
    [property: JsonPropertyName("recall_at_10")] double RecallAt10,
    [property: JsonPropertyName("qps")] double Qps,
    [property: JsonPropertyName("exact_qps")] double ExactQps,
    [property: JsonPropertyName("build_seconds")] double BuildSeconds,
    [property: JsonPropertyName("build_threads")] int BuildThreads,
    [property: JsonPropertyName("bytes_per_vector")] double BytesPerVector,
    [property: JsonPropertyName("quantization")] string Quantization,
    [property: JsonPropertyName("on_disk")] bool OnDisk,
    [property: JsonPropertyName("heap_bytes_per_vector")] double HeapBytesPerVector,
    [property: JsonPropertyName("file_bytes_per_vector")] double FileBytesPerVector);

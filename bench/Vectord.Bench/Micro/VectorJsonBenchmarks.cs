using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Vectord.Gateway;
using Vectord.Contracts;
using Vectord.Gateway.Json;

namespace Vectord.Bench.Micro;

/// <summary>
/// Reading the body of a search request (one 784-number vector, the fashion-mnist dimension): System.Text.Json's
/// own <c>float[]</c> handling (the baseline: the same record without the gateway's vector converter), the
/// serializer with the gateway's contract and its vector converter (the path for bodies the fast reader
/// declines), and the gateway's fast reader (<see cref="VectorBodyReader"/>, the path of ordinary bodies). Two
/// spellings of the numbers: fashion-mnist's integer pixels, and the shortest round-trip text of random floats
/// in [-1, 1), as embedding clients send them.
/// </summary>
[MemoryDiagnoser]
public class VectorJsonBenchmarks
{
    private byte[] _body = [];

    /// <summary>How the numbers are spelled.</summary>
    [Params("pixels", "floats")]
    public string Numbers { get; set; } = "pixels";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        var text = new StringBuilder("{\"vector\":[");
        for (int i = 0; i < 784; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            float x = Numbers == "pixels" ? (random.Next(2) == 0 ? 0 : random.Next(256)) : (float)(random.NextDouble() * 2 - 1);
            text.Append(x.ToString("R", CultureInfo.InvariantCulture));
        }
        text.Append("],\"k\":10,\"ef\":64}");
        _body = Encoding.UTF8.GetBytes(text.ToString());
    }

    [Benchmark(Baseline = true)]
    public int SystemTextJson() => JsonSerializer.Deserialize(_body, PlainJsonContext.Default.PlainSearchRequest)!.Vector!.Length;

    [Benchmark]
    public int Converter() => JsonSerializer.Deserialize(_body, (JsonTypeInfo<SearchRequest>)GatewayExtensions.JsonOptions.GetTypeInfo(typeof(SearchRequest)))!.Vector!.Length;

    [Benchmark]
    public int FastReader() => VectorBodyReader.TryReadSearch(_body, out SearchRequest? request) ? request.Vector!.Length : -1;
}

/// <summary>The search contract with System.Text.Json's stock array handling.</summary>
public sealed record PlainSearchRequest(float[]? Vector, int? K, int? Ef);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PlainSearchRequest))]
internal sealed partial class PlainJsonContext : JsonSerializerContext;

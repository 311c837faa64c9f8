using System.Globalization;
using System.Text;
using System.Text.Json;
using Vectord.Gateway.Infrastructure;
using Vectord.Contracts;
using Vectord.Gateway.Json;

namespace Vectord.Gateway.Tests;

/// <summary>
/// The fast reader of search and add bodies must answer exactly what the serializer answers, or decline: for every
/// body it reads, the serializer (with the gateway's contracts) reads the same values; every body the serializer
/// rejects, it declines; and it does answer the bodies clients actually send, or it would be no faster.
/// </summary>
public sealed class VectorBodyReaderTests
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static TheoryData<string> CommonSearchBodies() =>
    [
        """{"vector":[1,2,3]}""",
        """{"vector":[0,255,17,0,0],"k":10,"ef":64}""",
        """{"k":5,"vector":[-0.5,0.25,1e-3,2.5E+2,-0],"ef":null}""",
        """{"vector":[]}""",
        """{"vector":null,"k":3}""",
        """{"k":3}""",
        """{}""",
        " \r\n\t{ \"vector\" : [ 1 , 2\t,\n3 ] , \"k\" : 2 } \n",
        """{"vector":[0.1,0.2],"unknown":{"deep":[1,{"x":null}]},"other":"text"}""",
        """{"\u0076ector":[4,5],"k":-1}""",
        """{"Vector":[1],"K":2}""",
        """{"vector":[1.5],"k":0,"ef":2147483647}""",
        """{"vector":[1,2],"filter":{"must":[{"key":"a.b","match":{"value":1}}],"must_not":[{"has_id":["x"]}]}}""",
        """{"filter":{},"vector":[1]}""",
        """{"vector":[1],"filter":null}""",
        """{"vector":[1],"filter":"not a filter: read as given, refused later"}""",
        """{"vector":[1,2],"text":{"query":"red fox","fields":["title","body"]},"fusion":"weighted","alpha":0.25}""",
        """{"text":{"query":"only words"},"k":3,"fusion":null,"alpha":null,"text2":1}""",
        """{"vector":[1],"text":null,"fusion":"rrf"}""",
        """{"vector":[1,2],"using":"title","k":3}""",
        """{"using":null,"vector":[1]}""",
        """{"using":"\u0069mage","vector":[0.5],"text":{"query":"fox"}}""",
    ];

    public static TheoryData<string> CommonAddBodies() =>
    [
        """{"items":[{"id":"a","vector":[1,0,0]}]}""",
        """{"items":[{"id":"a","vector":[1,0,0],"metadata":{"title":"A","tags":["x","y"],"n":1.5e3}},{"id":"b","vector":[0,1,0]}]}""",
        """{"items":[{"vector":[1],"id":"\u00e9t\u00e9 \"quoted\" \\ \/"}]}""",
        """{"items":[{"id":"m","vector":[1],"metadata":null}]}""",
        """{"items":[{"id":"m","vector":[1],"metadata":"just text"}]}""",
        """{"items":[{"id":"m","vector":[1],"metadata":42}]}""",
        """{"items":[{"id":"m","vector":[1],"metadata":[1, 2,  {"spaced" : true}]}]}""",
        """{"items":[{"id":"é日本","vector":[1],"metadata":{"ü":"ß"}}]}""",
        """{"items":[null,{"id":"x"},{"vector":null},{}]}""",
        """{"items":[]}""",
        """{"items":null}""",
        """{}""",
        """{"extra":[1,2],"items":[{"id":"a","vector":[3],"skip":{"a":[1,2]}}],"more":true}""",
        """{"items":[{"id":"a","vectors":{"title":[1,2],"image":[0.5,-1,3e2]},"metadata":{"n":1}}]}""",
        """{"items":[{"vectors":{},"id":"b"},{"id":"c","vectors":null},{"id":"d","vectors":{"x":[]}}]}""",
        """{"items":[{"id":"e","vectors":{"t\u00eftle":[1], "image" : [ 2 , 3 ]}}]}""",
    ];

    [Theory]
    [MemberData(nameof(CommonSearchBodies))]
    public void Common_search_bodies_are_read_fast_and_exactly(string body)
    {
        byte[] json = Encoding.UTF8.GetBytes(body);
        Assert.True(VectorBodyReader.TryReadSearch(json, out SearchRequest? fast), body);
        AssertSame(JsonSerializer.Deserialize(json, GatewayJsonContext.Default.SearchRequest)!, fast);
    }

    [Theory]
    [MemberData(nameof(CommonAddBodies))]
    public void Common_add_bodies_are_read_fast_and_exactly(string body)
    {
        byte[] json = Encoding.UTF8.GetBytes(body);
        Assert.True(VectorBodyReader.TryReadAdd(json, out AddRequest? fast), body);
        AssertSame(JsonSerializer.Deserialize(json, GatewayJsonContext.Default.AddRequest)!, fast);
    }

    [Fact]
    public void A_fashion_mnist_sized_body_is_read_fast_with_every_component()
    {
        var random = new Random(3);
        float[] vector = [.. Enumerable.Range(0, 784).Select(_ => (float)random.Next(256))];
        float[] embedding = [.. Enumerable.Range(0, 1536).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        foreach (float[] v in (float[][])[vector, embedding])
        {
            byte[] json = Encoding.UTF8.GetBytes($$"""{"vector":[{{string.Join(",", v.Select(x => x.ToString("R", s_invariant)))}}],"k":10}""");
            Assert.True(VectorBodyReader.TryReadSearch(json, out SearchRequest? fast));
            Assert.Equal(v, fast.Vector);
            AssertSame(JsonSerializer.Deserialize(json, GatewayJsonContext.Default.SearchRequest)!, fast);
        }
    }

    public static TheoryData<string> DeclinedSearchBodies() =>
    [
        // Malformed or mistyped: the serializer rejects them, so must the fast reader.
        """{"vector":[01]}""",
        """{"vector":[1.]}""",
        """{"vector":[.5]}""",
        """{"vector":[+1]}""",
        """{"vector":[-]}""",
        """{"vector":[1e]}""",
        """{"vector":[1e+]}""",
        """{"vector":[1,]}""",
        """{"vector":[,1]}""",
        """{"vector":[1,,2]}""",
        """{"vector":[1 2]}""",
        """{"vector":[1x]}""",
        """{"vector":[1,2""",
        """{"vector":[1,"2"]}""",
        """{"vector":[1,[2]]}""",
        """{"vector":[NaN]}""",
        """{"vector":"1,2"}""",
        """{"vector":[1],"k":"3"}""",
        """{"vector":[1],"k":2.5}""",
        """{"vector":[1],"k":99999999999}""",
        """{"vector":[1]}}""",
        """{"vector":[1]} {}""",
        """{"vector":[1]} x""",
        """[{"vector":[1]}]""",
        """null""",
        // Valid, but outside what the fast reader answers exactly: left to the serializer.
        """{"vector":[1.2345678901234567]}""",
        """{"vector":[16777217]}""",
        """{"vector":[1e30]}""",
        """{"vector":[1e999]}""",
        """{"vector":[1],"vector":[2]}""",
        """{"vector":[1],"filter":{},"filter":{"must":[]}}""",
    ];

    public static TheoryData<string> DeclinedAddBodies() =>
    [
        """{"items":[{"id":5,"vector":[1]}]}""",
        """{"items":[{"id":"x","vector":[1],"metadata":}]}""",
        """{"items":[{"id":"x","vector":[1],"metadata":{"a":1,}}]}""",
        """{"items":{"id":"x"}}""",
        """{"items":[1]}""",
        """{"items":[{"id":"x","vector":[1]}""",
        """{"items":[{"id":"x","vector":[1,]}]}""",
        """{"items":[{"id":"x","vector":[1]}],"items":[]}""",
        "{\"items\":[{\"id\":\"x\",\"vector\":[1],\"metadata\":" + new string('[', 100) + new string(']', 100) + "}]}",
        // Valid, but outside what the fast reader answers exactly: left to the serializer.
        """{"items":[{"id":"a","id":"b","vector":[1]}]}""",
        """{"items":[{"id":"a","vector":[1e-30]}]}""",
        """{"items":[{"id":"a","vectors":{"x":[1],"x":[2]}}]}""",
        """{"items":[{"id":"a","vectors":{"x":null}}]}""",
        """{"items":[{"id":"a","vectors":[[1]]}]}""",
        """{"items":[{"id":"a","vectors":{"x":[1]},"vectors":{}}]}""",
    ];

    [Theory]
    [MemberData(nameof(DeclinedSearchBodies))]
    public void Search_bodies_outside_the_fast_path_are_declined(string body) =>
        Assert.False(VectorBodyReader.TryReadSearch(Encoding.UTF8.GetBytes(body), out _), body);

    [Theory]
    [MemberData(nameof(DeclinedAddBodies))]
    public void Add_bodies_outside_the_fast_path_are_declined(string body) =>
        Assert.False(VectorBodyReader.TryReadAdd(Encoding.UTF8.GetBytes(body), out _), body);

    [Fact]
    public void Mutated_bodies_are_read_like_the_serializer_or_declined()
    {
        // Every single-byte change, deletion and cut of a few bodies, plus random multi-byte damage: whatever the
        // fast reader answers, the serializer must answer the same; what the serializer rejects, it must decline.
        string[] seeds =
        [
            """{"vector":[1,-2.5,3e2,0],"k":4,"ef":32}""",
            """{"items":[{"id":"a","vector":[0.5,1],"metadata":{"t":[1,"x"]}},null]}""",
            """{"items":[{"id":"a","vectors":{"t":[0.5,1],"u":[-2]}}],"using":"t","vector":[1]}""",
        ];
        byte[] alphabet = "{}[],:\"-+.0123456789eE \\nulltrueafsxk"u8.ToArray();
        var random = new Random(11);
        int answered = 0, checkedBodies = 0;
        foreach (string seed in seeds)
        {
            byte[] original = Encoding.UTF8.GetBytes(seed);
            var bodies = new List<byte[]>();
            for (int i = 0; i < original.Length; i++)
            {
                foreach (byte b in alphabet)
                {
                    byte[] changed = (byte[])original.Clone();
                    changed[i] = b;
                    bodies.Add(changed);
                }
                bodies.Add([.. original[..i], .. original[(i + 1)..]]);
                bodies.Add(original[..i]);
            }
            for (int n = 0; n < 5000; n++)
            {
                byte[] damaged = (byte[])original.Clone();
                for (int j = random.Next(1, 4); j > 0; j--)
                {
                    damaged[random.Next(damaged.Length)] = alphabet[random.Next(alphabet.Length)];
                }
                bodies.Add(damaged);
            }
            foreach (byte[] body in bodies)
            {
                checkedBodies++;
                answered += CompareSearch(body) + CompareAdd(body);
            }
        }
        Assert.True(answered > 100, $"the fast reader answered only {answered} of {checkedBodies} mutated bodies");
    }

    [Fact]
    public void Random_spellings_of_floats_are_read_like_the_serializer()
    {
        var random = new Random(29);
        int fast = 0;
        for (int n = 0; n < 2000; n++)
        {
            var parts = new List<string>();
            for (int j = random.Next(0, 40); j > 0; j--)
            {
                float f = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9)));
                parts.Add((n % 3) switch
                {
                    0 => f.ToString("R", s_invariant),
                    1 => f.ToString("E5", s_invariant),
                    _ => ((double)f).ToString("R", s_invariant),
                });
            }
            string spaced = random.Next(2) == 0 ? "," : " ,\n ";
            byte[] json = Encoding.UTF8.GetBytes("{\"vector\":[" + string.Join(spaced, parts) + "]}");
            fast += CompareSearch(json);
        }
        Assert.True(fast > 1000, $"only {fast} of 2000 bodies took the fast path");
    }

    [Fact]
    public void Request_bodies_read_through_either_path_are_the_same()
    {
        // RequestBody.Deserialize: the byte order mark and surrounding whitespace are accepted by both paths,
        // emptiness and null are refused with the contract's messages.
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. """ {"vector":[1,2]} """u8];
        SearchRequest viaFast = RequestBody.Deserialize(withBom, GatewayJsonContext.Default.SearchRequest, VectorBodyReader.TryReadSearch);
        SearchRequest viaSerializer = RequestBody.Deserialize(withBom, GatewayJsonContext.Default.SearchRequest, null);
        AssertSame(viaSerializer, viaFast);
        Assert.Equal([1f, 2f], viaFast.Vector!);

        Assert.Contains("required", Assert.Throws<JsonException>(() =>
            RequestBody.Deserialize(" \n"u8, GatewayJsonContext.Default.SearchRequest, VectorBodyReader.TryReadSearch)).Message, StringComparison.Ordinal);
        Assert.Contains("null", Assert.Throws<JsonException>(() =>
            RequestBody.Deserialize("null"u8, GatewayJsonContext.Default.SearchRequest, VectorBodyReader.TryReadSearch)).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The fast reader skips the properties it does not know, so a property added to a contract record but not to the
    /// reader would be silently dropped on the fast path. It refuses (declines) a known property given twice, and
    /// skips an unknown one given twice: so every JSON property of the records must be declined when doubled.
    /// </summary>
    [Fact]
    public void The_fast_reader_knows_every_property_of_the_search_and_add_records()
    {
        static string[] Names<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) => [.. info.Properties.Select(p => p.Name)];

        string[] search = Names(GatewayJsonContext.Default.SearchRequest);
        Assert.Equal(["vector", "k", "ef", "filter", "consistency", "text", "fusion", "alpha", "using"], search);
        foreach (string name in search)
        {
            byte[] doubled = Encoding.UTF8.GetBytes($$"""{"{{name}}":null,"{{name}}":null}""");
            Assert.False(VectorBodyReader.TryReadSearch(doubled, out _), $"the fast search reader does not read \"{name}\"");
        }
        foreach (string name in Names(GatewayJsonContext.Default.AddRequest))
        {
            byte[] doubled = Encoding.UTF8.GetBytes($$"""{"{{name}}":null,"{{name}}":null}""");
            Assert.False(VectorBodyReader.TryReadAdd(doubled, out _), $"the fast add reader does not read \"{name}\"");
        }
        foreach (string name in Names(GatewayJsonContext.Default.AddItem))
        {
            byte[] doubled = Encoding.UTF8.GetBytes($$"""{"items":[{"{{name}}":null,"{{name}}":null}]}""");
            Assert.False(VectorBodyReader.TryReadAdd(doubled, out _), $"the fast add reader does not read items[].\"{name}\"");
        }
        foreach (string name in Names(GatewayJsonContext.Default.SearchBatchRequest))
        {
            byte[] doubled = Encoding.UTF8.GetBytes($$"""{"{{name}}":null,"{{name}}":null}""");
            Assert.False(VectorBodyReader.TryReadSearchBatch(doubled, out _), $"the fast batch reader does not read \"{name}\"");
        }
        foreach (string name in search)
        {
            byte[] doubled = Encoding.UTF8.GetBytes($$"""{"searches":[{"{{name}}":null,"{{name}}":null}]}""");
            Assert.False(VectorBodyReader.TryReadSearchBatch(doubled, out _), $"the fast batch reader does not read searches[].\"{name}\"");
        }
        // The probe itself: an unknown property given twice is skipped both times, and the body is answered.
        Assert.True(VectorBodyReader.TryReadSearch("""{"vector":[1],"zz":null,"zz":null}"""u8, out _));
        Assert.True(VectorBodyReader.TryReadAdd("""{"items":[{"id":"a","zz":1,"zz":2}]}"""u8, out _));
    }

    public static TheoryData<string> BatchBodies() =>
    [
        """{"searches":[{"vector":[1,2.5],"k":3},{"vector":[0,-1e-3],"ef":40,"filter":{"must":[{"key":"a","match":{"value":1}}]}}]}""",
        """{"searches":[]}""",
        """{"searches":null}""",
        """{}""",
        """{"x":1,"searches":[{"zz":[1],"vector":[7]}],"y":{"searches":2}}""",
        // Left to the serializer, which names what is wrong: a null search, a vector of strings, a trailing comma.
        """{"searches":[null]}""",
        """{"searches":[{"vector":["1"]}]}""",
        """{"searches":[{"vector":[1]},]}""",
        """{"searches":[{"vector":[1]}]} x""",
    ];

    /// <summary>A batch read on the fast path equals what the serializer reads, search by search; the bodies it
    /// declines are those the serializer rejects or that carry a null search.</summary>
    [Theory]
    [MemberData(nameof(BatchBodies))]
    public void Batch_bodies_read_fast_equal_the_serializer(string body)
    {
        byte[] json = Encoding.UTF8.GetBytes(body);
        SearchBatchRequest? reference = Reference(json, GatewayJsonContext.Default.SearchBatchRequest);
        if (!VectorBodyReader.TryReadSearchBatch(json, out SearchBatchRequest? fast))
        {
            Assert.True(reference is null || reference.Searches!.Contains(null), $"declined a body the serializer reads: {body}");
            return;
        }
        Assert.NotNull(reference);
        Assert.Equal(reference.Searches is null, fast.Searches is null);
        Assert.Equal(reference.Searches?.Length, fast.Searches?.Length);
        for (int i = 0; i < (fast.Searches?.Length ?? 0); i++)
        {
            AssertSame(reference.Searches![i]!, fast.Searches![i]!);
        }
    }

    [Fact]
    public void A_filter_on_the_fast_path_arrives_whole()
    {
        Assert.True(VectorBodyReader.TryReadSearch(
            """{"vector":[1,0],"filter":{"must_not":[{"key":"tag","match":{"any":["a","b"]}}]},"k":3}"""u8, out SearchRequest? fast));
        Assert.Equal(3, fast.K);
        ItemFilter filter = FilterJson.Read(fast.Filter!.Value);
        var condition = Assert.IsType<MatchAnyCondition>(Assert.Single(filter.MustNot!));
        Assert.Equal("tag", condition.Key);
        Assert.Equal([FilterValue.Of("a"), FilterValue.Of("b")], condition.Any);
    }

    private static int CompareSearch(byte[] body)
    {
        SearchRequest? reference = Reference(body, GatewayJsonContext.Default.SearchRequest);
        if (!VectorBodyReader.TryReadSearch(body, out SearchRequest? fast))
        {
            return 0;
        }
        Assert.True(reference is not null, $"the fast reader answered a body the serializer rejects: {Encoding.UTF8.GetString(body)}");
        AssertSame(reference, fast);
        return 1;
    }

    private static int CompareAdd(byte[] body)
    {
        AddRequest? reference = Reference(body, GatewayJsonContext.Default.AddRequest);
        if (!VectorBodyReader.TryReadAdd(body, out AddRequest? fast))
        {
            return 0;
        }
        Assert.True(reference is not null, $"the fast reader answered a body the serializer rejects: {Encoding.UTF8.GetString(body)}");
        AssertSame(reference, fast);
        return 1;
    }

    private static T? Reference<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void AssertSame(SearchRequest expected, SearchRequest actual)
    {
        AssertSameVector(expected.Vector, actual.Vector);
        Assert.Equal(expected.K, actual.K);
        Assert.Equal(expected.Ef, actual.Ef);
        Assert.Equal(expected.Filter?.GetRawText(), actual.Filter?.GetRawText());
        Assert.Equal(expected.Consistency, actual.Consistency);
        Assert.Equal(expected.Text?.Query, actual.Text?.Query);
        Assert.Equal(expected.Text?.Fields, actual.Text?.Fields);
        Assert.Equal(expected.Fusion, actual.Fusion);
        Assert.Equal(expected.Alpha, actual.Alpha);
        Assert.Equal(expected.Using, actual.Using);
    }

    private static void AssertSame(AddRequest expected, AddRequest actual)
    {
        if (expected.Items is null)
        {
            Assert.Null(actual.Items);
            return;
        }
        Assert.NotNull(actual.Items);
        Assert.Equal(expected.Items.Length, actual.Items.Length);
        for (int i = 0; i < expected.Items.Length; i++)
        {
            AddItem? e = expected.Items[i], a = actual.Items[i];
            if (e is null)
            {
                Assert.Null(a);
                continue;
            }
            Assert.NotNull(a);
            Assert.Equal(e.Id, a.Id);
            AssertSameVector(e.Vector, a.Vector);
            Assert.Equal(e.Metadata, a.Metadata);
            if (e.Vectors is null)
            {
                Assert.Null(a.Vectors);
                continue;
            }
            Assert.NotNull(a.Vectors);
            Assert.Equal(e.Vectors.Keys, a.Vectors.Keys);
            foreach (var (name, vector) in e.Vectors)
            {
                AssertSameVector(vector, a.Vectors[name]);
            }
        }
    }

    private static void AssertSameVector(float[]? expected, float[]? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }
}

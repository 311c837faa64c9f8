using System.Text;
using System.Text.Json;

namespace Vectord.Gateway.Tests;

/// <summary>The JSON form of filters: every operator, nesting, the round trip through <see cref="FilterJson.Write"/>,
/// and the detail of each malformed filter.</summary>
public sealed class FilterJsonTests
{
    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ItemFilter Read(string json, string path = "filter")
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return FilterJson.Read(document.RootElement, path);
    }

    private static string Write(ItemFilter filter)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            FilterJson.Write(writer, filter);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Problem(string json, string path = "filter") =>
        Assert.Throws<InvalidIndexArgumentException>(() => Read(json, path)).Message;

    [Fact]
    public void Every_operator_maps_to_its_record()
    {
        ItemFilter filter = Read("""
            {"must":[
                {"key":"color","match":{"value":"red"}},
                {"key":"n","match":{"value":3}},
                {"key":"ok","match":{"value":true}},
                {"key":"tag","match":{"any":["a",2,false]}},
                {"key":"tag","match":{"except":["z"]}},
                {"key":"price.eur","range":{"gt":1,"gte":1.5,"lt":10,"lte":9.75}},
                {"is_null":{"key":"gone"}},
                {"is_empty":{"key":"list"}},
                {"has_id":["a","b"]}
            ],
             "should":[{"key":"x","range":{"lt":0}}],
             "must_not":[{"must":[{"key":"y","match":{"value":"n"}}]}]}
            """);
        FilterCondition[] must = filter.Must!;
        Assert.Equal(new MatchCondition("color", "red"), must[0]);
        Assert.Equal(new MatchCondition("n", 3), must[1]);
        Assert.Equal(new MatchCondition("ok", true), must[2]);
        var any = Assert.IsType<MatchAnyCondition>(must[3]);
        Assert.Equal([FilterValue.Of("a"), FilterValue.Of(2), FilterValue.Of(false)], any.Any);
        Assert.Equal([FilterValue.Of("z")], Assert.IsType<MatchExceptCondition>(must[4]).Except);
        Assert.Equal(new RangeCondition("price.eur", 1, 1.5, 10, 9.75), must[5]);
        Assert.Equal(new IsNullCondition("gone"), must[6]);
        Assert.Equal(new IsEmptyCondition("list"), must[7]);
        Assert.Equal(["a", "b"], Assert.IsType<HasIdCondition>(must[8]).Ids);
        Assert.Equal(new RangeCondition("x", Lt: 0), Assert.Single(filter.Should!));
        var nested = Assert.IsType<ItemFilter>(Assert.Single(filter.MustNot!));
        Assert.Equal(new MatchCondition("y", "n"), Assert.Single(nested.Must!));
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("1.0", 1L)]
    [InlineData("-3e2", -300L)]
    [InlineData("2.50e1", 25L)]
    [InlineData("9007199254740993", 9007199254740993L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void An_integral_number_is_an_integer(string number, long expected) =>
        Assert.Equal(new MatchCondition("n", expected), Assert.Single(Read("""{"must":[{"key":"n","match":{"value":""" + number + "}}]}").Must!));

    [Fact]
    public void Empty_filters_and_null_lists_match_all()
    {
        Assert.Equal(new ItemFilter(), Read("{}"));
        Assert.Equal(new ItemFilter(), Read("""{"must":null,"should":null,"must_not":null}"""));
        Assert.Empty(Read("""{"must":[]}""").Must!);
        Assert.Equal(new ItemFilter(), Assert.Single(Read("""{"should":[{}]}""").Should!));
        Assert.Equal(new RangeCondition("a", Lt: 2), Assert.Single(Read("""{"must":[{"key":"a","range":{"gt":null,"lt":2}}]}""").Must!));
        // String bounds compare date-times, any offset, written back in UTC.
        var time = Assert.IsType<TimeRangeCondition>(Assert.Single(Read("""{"must":[{"key":"at","range":{"gt":null,"gte":"2026-01-31T11:30:00+02:00"}}]}""").Must!));
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 9, 30, 0, TimeSpan.Zero), time.Gte);
        Assert.Null(time.Gt);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"must":[]}""")]
    [InlineData("""{"must":[{"key":"color","match":{"value":"red"}},{"key":"n","match":{"value":-3}},{"key":"ok","match":{"value":false}}]}""")]
    [InlineData("""{"should":[{"key":"tag","match":{"any":["a",2,true]}},{"key":"tag","match":{"except":[]}}]}""")]
    [InlineData("""{"must_not":[{"key":"p","range":{"gt":1,"gte":1.5,"lt":10,"lte":1E+300}},{"key":"q","range":{"lt":-0.25}}]}""")]
    [InlineData("""{"must":[{"is_null":{"key":"a.b"}},{"is_empty":{"key":"c"}},{"has_id":["x","\u00e9"]}]}""")]
    [InlineData("""{"must":[{"key":"at","range":{"gt":"2026-01-31T09:30:00Z","lte":"2026-02-01T00:00:00.25Z"}}]}""")]
    [InlineData("""{"must":[{"should":[{"must_not":[{"has_id":[]}]},{}]}],"should":[{"must":[]}]}""")]
    public void Write_gives_back_what_read_read(string json)
    {
        string written = Write(Read(json));
        Assert.Equal(Normalise(json), Normalise(written));
        Assert.Equal(written, Write(Read(written)));
    }

    [Fact]
    public void Sixteen_levels_are_read_and_seventeen_are_refused()
    {
        static string Nested(int depth) =>
            depth == 1 ? """{"must":[{"key":"a","match":{"value":1}}]}""" : $$"""{"must":[{{Nested(depth - 1)}}]}""";

        ItemFilter filter = Read(Nested(16));
        for (int level = 1; level < 16; level++)
        {
            filter = Assert.IsType<ItemFilter>(Assert.Single(filter.Must!));
        }
        Assert.IsType<MatchCondition>(Assert.Single(filter.Must!));
        string path = "filter" + string.Concat(Enumerable.Repeat(".must[0]", 16));
        Assert.Equal($"{path}: filters nest deeper than 16", Problem(Nested(17)));
        Assert.Equal($"{path}: filters nest deeper than 16", Problem(Nested(60)));
    }

    [Fact]
    public void More_than_1024_values_or_conditions_are_refused()
    {
        string values = string.Join(",", Enumerable.Range(0, 1025));
        Assert.Equal("filter.must[0].match.any: more than 1024 values",
            Problem($$$"""{"must":[{"key":"a","match":{"any":[{{{values}}}]}}]}"""));
        Assert.Equal("filter.should[1].match.except: more than 1024 values",
            Problem($$$"""{"should":[{},{"key":"a","match":{"except":[{{{values}}}]}}]}"""));
        Assert.Single(Read($$$"""{"must":[{"key":"a","match":{"any":[{{{string.Join(",", Enumerable.Range(0, 1024))}}}]}}]}""").Must!);
        string conditions = string.Join(",", Enumerable.Repeat("{}", 1025));
        Assert.Equal("filter.must_not: more than 1024 conditions", Problem($$"""{"must_not":[{{conditions}}]}"""));
    }

    [Theory]
    [InlineData("[]", "filter: must be an object")]
    [InlineData("null", "filter: must be an object")]
    [InlineData("\"must\"", "filter: must be an object")]
    [InlineData("""{"must":{}}""", "filter.must: must be an array of conditions")]
    [InlineData("""{"must":[1]}""", "filter.must[0]: must be an object")]
    [InlineData("""{"musts":[]}""", "filter: unknown field \"musts\" (a filter has must, should and must_not)")]
    [InlineData("""{"min_should":{"conditions":[],"min_count":1}}""", "filter: unknown field \"min_should\" (a filter has must, should and must_not)")]
    [InlineData("""{"must":[],"must":[]}""", "filter.must: given twice")]
    [InlineData("""{"should":[{},{},{"text":"x"}]}""",
        "filter.should[2]: unknown condition (expected a nested filter, key with match or range, is_null, is_empty or has_id)")]
    [InlineData("""{"must":[{"key":"a","match":{"value":1.5}}]}""", "filter.must[0].match.value: must be a string, an integer or a boolean")]
    [InlineData("""{"must":[{"key":"a","match":{"value":1e30}}]}""", "filter.must[0].match.value: must be a string, an integer or a boolean")]
    [InlineData("""{"must":[{"key":"a","match":{"value":null}}]}""", "filter.must[0].match.value: must be a string, an integer or a boolean")]
    [InlineData("""{"must":[{"key":"a","match":{"value":{"x":1}}}]}""", "filter.must[0].match.value: must be a string, an integer or a boolean")]
    [InlineData("""{"must":[{"key":"a","match":{"value":[1]}}]}""", "filter.must[0].match.value: must be a string, an integer or a boolean")]
    [InlineData("""{"must":[{"key":"a","match":{"any":[1,"b",0.5]}}]}""", "filter.must[0].match.any[2]: must be a string, an integer or a boolean")]
    [InlineData("""{"must":[{"key":"a","match":{"any":"b"}}]}""", "filter.must[0].match.any: must be an array of strings, integers or booleans")]
    [InlineData("""{"must":[{"key":"a","match":{"any":null}}]}""", "filter.must[0].match.any: a list of values is required")]
    [InlineData("""{"must":[{"key":"a","match":{"except":[null]}}]}""", "filter.must[0].match.except[0]: must be a string, an integer or a boolean")]
    [InlineData("""{"must":[{"key":"a","match":{"phrase":"b"}}]}""", "filter.must[0].match: unknown operator \"phrase\" (expected value, any, except or text)")]
    [InlineData("""{"must":[{"key":"a","match":{}}]}""", "filter.must[0].match: one of value, any, except or text is required")]
    [InlineData("""{"must":[{"key":"a","match":{"value":1,"any":[2]}}]}""", "filter.must[0].match: only one of value, any, except or text may be given")]
    [InlineData("""{"must":[{"key":"a","match":"b"}]}""", "filter.must[0].match: must be an object with value, any, except or text")]
    [InlineData("""{"must":[{"key":"a","match":{"text":["b"]}}]}""", "filter.must[0].match.text: must be a string")]
    [InlineData("""{"must":[{"key":"a","range":{}}]}""", "filter.must[0].range: at least one bound is required")]
    [InlineData("""{"must":[{"key":"a","match":{"value":1}},{"key":"a","range":{"gt":null}}]}""", "filter.must[1].range: at least one bound is required")]
    [InlineData("""{"must":[{"key":"a","range":{"gt":true}}]}""", "filter.must[0].range.gt: must be a number")]
    [InlineData("""{"must":[{"key":"a","range":{"gt":"1"}}]}""", "filter.must[0].range.gt: must be a number, or an RFC 3339 date-time such as 2026-01-31T09:30:00Z")]
    [InlineData("""{"must":[{"key":"a","range":{"gt":"2026-01-01T00:00:00Z","lte":2}}]}""", "filter.must[0].range.lte: must be a date-time string, as the other bounds of this range are")]
    [InlineData("""{"must":[{"key":"a","range":{"gt":null,"lt":null,"gte":"x"}}]}""", "filter.must[0].range.gte: must be a number, or an RFC 3339 date-time such as 2026-01-31T09:30:00Z")]
    [InlineData("""{"must":[{"key":"a","range":{"lte":1e999}}]}""", "filter.must[0].range.lte: must be a finite number")]
    [InlineData("""{"must":[{"key":"a","range":{"between":[1,2]}}]}""", "filter.must[0].range: unknown operator \"between\" (expected gt, gte, lt or lte)")]
    [InlineData("""{"must":[{"key":"a","range":{"gt":1,"gt":2}}]}""", "filter.must[0].range.gt: given twice")]
    [InlineData("""{"must":[{"key":"a","range":[1]}]}""", "filter.must[0].range: must be an object with gt, gte, lt or lte")]
    [InlineData("""{"must":[{"key":"a"}]}""", "filter.must[0]: a condition with a key needs match or range")]
    [InlineData("""{"must":[{"key":"a","match":{"value":1},"range":{"gt":1}}]}""", "filter.must[0]: match and range cannot be combined in one condition (use two conditions)")]
    [InlineData("""{"must":[{"match":{"value":1}}]}""", "filter.must[0].key: must be a non-empty path")]
    [InlineData("""{"must":[{"key":"","match":{"value":1}}]}""", "filter.must[0].key: must be a non-empty path")]
    [InlineData("""{"must":[{"key":"a..b","match":{"value":1}}]}""", "filter.must[0].key: 'a..b' has an empty step between dots")]
    [InlineData("""{"must":[{"key":3,"match":{"value":1}}]}""", "filter.must[0].key: must be a string")]
    [InlineData("""{"must":[{"key":"a","match":{"value":1},"boost":2}]}""", "filter.must[0]: unknown field \"boost\" in a key condition")]
    [InlineData("""{"must":[{"must":[],"key":"a"}]}""", "filter.must[0]: unknown field \"key\" in a nested filter")]
    [InlineData("""{"must":[{"is_null":{"key":"a"},"is_empty":{"key":"a"}}]}""", "filter.must[0]: unknown field \"is_empty\" in an is_null condition")]
    [InlineData("""{"must":[{"is_null":"a"}]}""", "filter.must[0].is_null: must be an object {\"key\": path}")]
    [InlineData("""{"must":[{"is_null":{"key":"a","value":1}}]}""", "filter.must[0].is_null: unknown field \"value\" (expected key)")]
    [InlineData("""{"must":[{"is_empty":{}}]}""", "filter.must[0].is_empty.key: must be a non-empty path")]
    [InlineData("""{"must":[{"has_id":["a",1]}]}""", "filter.must[0].has_id[1]: must be a string")]
    [InlineData("""{"must":[{"has_id":["a",null]}]}""", "filter.must[0].has_id[1]: must be a string")]
    [InlineData("""{"must":[{"has_id":"a"}]}""", "filter.must[0].has_id: must be an array of strings")]
    [InlineData("""{"must_not":[{"should":[{"key":"a","range":{}}]}]}""", "filter.must_not[0].should[0].range: at least one bound is required")]
    public void A_malformed_filter_is_named_in_the_contract_words(string json, string expected) => Assert.Equal(expected, Problem(json));

    [Fact]
    public void The_path_given_prefixes_every_detail()
    {
        Assert.Equal("searches[3].filter.must[0].range: at least one bound is required",
            Problem("""{"must":[{"key":"a","range":{}}]}""", "searches[3].filter"));
        Assert.Equal("searches[0].filter: must be an object", Problem("1", "searches[0].filter"));
    }

    private static string Normalise(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, s_relaxed);
    }
}

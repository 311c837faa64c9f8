using Vectord.Hnsw.Filtering;
using static Vectord.Hnsw.Tests.Filtering.V;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>Each filter of the payload index on the metadata shapes the contract names.</summary>
public sealed class PayloadIndexTests
{
    [Fact]
    public void Match_compares_strings_ordinally_and_never_across_types()
    {
        var items = PayloadFixture.Of("""{"v":"1"}""", """{"v":1}""", """{"v":true}""", """{"v":"A"}""", """{"v":"a"}""", """{"v":"true"}""");
        Assert.Equal([0], items.Match(new ValueIn("v", [S("1")])));
        Assert.Equal([1], items.Match(new ValueIn("v", [N(1)])));
        Assert.Equal([2], items.Match(new ValueIn("v", [B(true)])));
        Assert.Equal([4], items.Match(new ValueIn("v", [S("a")])));
        Assert.Empty(items.Match(new ValueIn("v", [B(false), N(0)])));
        Assert.Equal([0, 2, 4], items.Match(new ValueIn("v", [S("1"), B(true), S("a")])));
    }

    [Fact]
    public void Numbers_are_equal_by_value_and_minus_zero_is_zero()
    {
        var items = PayloadFixture.Of("""{"v":1}""", """{"v":1.0}""", """{"v":1e0}""", """{"v":-0}""", """{"v":0.0}""", """{"v":-0.0}""", """{"v":10}""");
        Assert.Equal([0, 1, 2], items.Match(new ValueIn("v", [N(1)])));
        Assert.Equal([3, 4, 5], items.Match(new ValueIn("v", [N(0)])));
        Assert.Equal([3, 4, 5], items.Match(new ValueIn("v", [N(-0.0)])));
        Assert.Equal([3, 4, 5], items.Match(new NumberRange("v", null, -0.0, null, 0)));
        Assert.Equal([0, 1, 2, 6], items.Match(new ValueNotIn("v", [N(-0.0)])));
        Assert.Equal(PayloadValue.Of(0.0), PayloadValue.Of(-0.0));
        Assert.Equal(PayloadValue.Of(1.0).GetHashCode(), PayloadValue.Of(1).GetHashCode());
        Assert.NotEqual(PayloadValue.Of(1), PayloadValue.Of(true));
        Assert.NotEqual(PayloadValue.Of("1"), PayloadValue.Of(1));
    }

    [Fact]
    public void Date_time_strings_compare_as_instants_whatever_their_offset_and_other_values_never_match()
    {
        var items = PayloadFixture.Of(
            """{"at":"2026-01-01T10:00:00Z"}""",
            """{"at":"2026-01-01T12:00:00+02:00"}""",
            """{"at":"2026-01-01T10:00:00.5Z"}""",
            """{"at":"2026-01-02T00:00:00"}""",
            """{"at":["2025-12-31T23:59:59Z","x"]}""",
            """{"at":"2026-01-01"}""",
            """{"at":"not a date"}""",
            """{"at":20260101}""",
            """{"at":"2026-13-01T00:00:00Z"}""");
        DateTimeOffset Z(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([0, 1], items.Match(new InstantRange("at", null, Z("2026-01-01T10:00:00Z"), null, Z("2026-01-01T10:00:00Z"))));
        Assert.Equal([2, 3], items.Match(new InstantRange("at", Z("2026-01-01T10:00:00Z"), null, null, null)));
        Assert.Equal([0, 1, 2, 4], items.Match(new InstantRange("at", null, null, Z("2026-01-01T13:00:00+02:00"), null)));
        Assert.Equal([4], items.Match(new InstantRange("at", null, null, Z("2026-01-01T00:00:00Z"), null)));
        Assert.Empty(items.Match(new InstantRange("at", Z("2026-01-01T10:00:00Z"), null, Z("2026-01-01T10:00:00Z"), null)));
        // Removing one of two texts of an instant keeps the other; replacing a date moves it.
        items.Delete(0);
        Assert.Equal([1], items.Match(new InstantRange("at", null, Z("2026-01-01T10:00:00Z"), null, Z("2026-01-01T10:00:00Z"))));
        items.Replace(1, """{"at":"2027-01-01T00:00:00Z"}""");
        Assert.Empty(items.Match(new InstantRange("at", null, Z("2026-01-01T10:00:00Z"), null, Z("2026-01-01T10:00:00Z"))));
        Assert.Equal([1], items.Match(new InstantRange("at", Z("2026-06-01T00:00:00Z"), null, null, null)));
    }

    [Theory]
    [InlineData("2026-01-31T09:30:00Z", true)]
    [InlineData("2026-01-31t09:30:00z", true)]
    [InlineData("2026-01-31T11:30:00.250+02:00", true)]
    [InlineData("2026-01-31T09:30:00", true)]
    [InlineData("2026-01-31", false)]
    [InlineData("2026-01-31 09:30:00Z", false)]
    [InlineData("2026-02-30T00:00:00Z", false)]
    [InlineData("31/01/2026 09:30", false)]
    [InlineData("", false)]
    public void Rfc3339_date_times_are_recognised_and_others_not(string text, bool isDate)
    {
        Assert.Equal(isDate, Rfc3339.TryParse(text, out var instant));
        if (isDate) { Assert.Equal(new DateTimeOffset(2026, 1, 31, 9, 30, 0, TimeSpan.Zero).UtcTicks, instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond)); }
    }

    [Fact]
    public void Dots_step_into_nested_objects_and_keys_with_dots_are_not_paths()
    {
        var items = PayloadFixture.Of("""{"a":{"b":{"c":5}}}""", """{"a":{"b":5}}""", """{"a.b":5}""", """{"a":5}""", """{"b":{"a":5}}""");
        Assert.Equal([1], items.Match(new ValueIn("a.b", [N(5)])));
        Assert.Equal([0], items.Match(new ValueIn("a.b.c", [N(5)])));
        Assert.Equal([3], items.Match(new ValueIn("a", [N(5)])));
        Assert.Equal([4], items.Match(new NumberRange("b.a", null, 5, null, 5)));
    }

    [Fact]
    public void Arrays_match_when_any_element_does_and_nested_arrays_are_flattened()
    {
        var items = PayloadFixture.Of("""{"t":["x","y"]}""", """{"t":"x"}""", """{"t":[["x"]]}""", """{"t":[["z"],[["x"]]]}""", """{"t":["y"]}""", """{"t":[]}""");
        Assert.Equal([0, 1, 2, 3], items.Match(new ValueIn("t", [S("x")])));
        Assert.Equal([0, 4], items.Match(new ValueIn("t", [S("y")])));
        Assert.Equal([0, 3, 4], items.Match(new ValueNotIn("t", [S("x")])));
    }

    [Fact]
    public void Steps_go_through_arrays_of_objects()
    {
        var items = PayloadFixture.Of("""{"a":[{"b":1},{"b":2}]}""", """{"a":[[{"b":2}]]}""", """{"a":{"b":[2]}}""", """{"a":[{"c":2}, 2]}""", """{"a":[{"b":{"c":[1,[3]]}}]}""");
        Assert.Equal([0, 1, 2], items.Match(new ValueIn("a.b", [N(2)])));
        Assert.Equal([0], items.Match(new ValueIn("a.b", [N(1)])));
        Assert.Equal([3], items.Match(new ValueIn("a", [N(2)])));
        Assert.Equal([4], items.Match(new NumberRange("a.b.c", 2, null, 4, null)));
        Assert.Equal([0, 1, 2], items.Match(new NumberRange("a.b", null, 1, null, null)));
    }

    [Fact]
    public void Missing_keys_items_without_metadata_and_non_object_metadata_match_no_value_condition_and_are_empty()
    {
        var items = PayloadFixture.Of(null, "[1,2]", "3", "\"s\"", "{}", """{"other":1}""", "not json", "null", "", """{"v":1}""");
        Assert.Equal([9], items.Match(new ValueIn("v", [N(1), N(3), S("s")])));
        Assert.Equal([9], items.Match(new ValueNotIn("v", [S("zzz")])));
        Assert.Equal([9], items.Match(new NumberRange("v", null, -100, null, 100)));
        Assert.Empty(items.Match(new IsNull("v")));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8], items.Match(new IsEmpty("v")));
        Assert.Equal([.. Enumerable.Range(0, 10)], items.Match(new IsEmpty("missing")));
    }

    [Fact]
    public void Range_bounds_are_inclusive_or_exclusive_and_strings_and_booleans_never_match()
    {
        var items = PayloadFixture.Of("""{"v":1}""", """{"v":2}""", """{"v":3}""", """{"v":"2"}""", """{"v":true}""", """{"v":2.5}""", """{"v":[0,10]}""");
        Assert.Equal([1, 2, 5, 6], items.Match(new NumberRange("v", 1, null, null, null)));
        Assert.Equal([0, 1, 5], items.Match(new NumberRange("v", null, 1, 3, null)));
        Assert.Equal([0, 1, 2, 5], items.Match(new NumberRange("v", null, 1, null, 3)));
        Assert.Equal([2, 5], items.Match(new NumberRange("v", 2, 2, null, 3)));
        Assert.Equal([1], items.Match(new NumberRange("v", null, 2, null, 2)));
        Assert.Empty(items.Match(new NumberRange("v", 2, null, null, 2)));
        Assert.Empty(items.Match(new NumberRange("v", 3, null, 1, null)));
        Assert.Empty(items.Match(new NumberRange("v", null, 4, null, 9)));
        Assert.Equal([0, 1, 2, 5, 6], items.Match(new NumberRange("v", null, double.MinValue, null, null)));
    }

    [Fact]
    public void Except_needs_a_present_value_outside_the_list()
    {
        var items = PayloadFixture.Of(
            """{"v":"a"}""", """{"v":"b"}""", """{"v":["a","b"]}""", """{"v":["a"]}""", """{"v":null}""", """{"v":[]}""",
            """{"v":{}}""", """{"v":[null]}""", "{}", """{"v":1}""", """{"v":[{"w":1}]}""", """{"v":[null,"a"]}""", """{"v":[[],["c"]]}""");
        Assert.Equal([1, 2, 9, 12], items.Match(new ValueNotIn("v", [S("a")])));
        Assert.Equal([0, 1, 2, 3, 9, 11, 12], items.Match(new ValueNotIn("v", [])));
        Assert.Equal([9], items.Match(new ValueNotIn("v", [S("a"), S("b"), S("c")])));
    }

    [Fact]
    public void Is_null_is_null_itself_and_not_an_array_holding_null()
    {
        var items = PayloadFixture.Of(
            """{"v":null}""", """{"v":[null]}""", """{"v":[]}""", "{}", """{"v":{}}""", """{"v":0}""", """{"v":"null"}""",
            """{"a":[{"v":null},{"v":1}]}""", null, """{"a":{"v":null}}""");
        Assert.Equal([0], items.Match(new IsNull("v")));
        Assert.Equal([7, 9], items.Match(new IsNull("a.v")));
        Assert.Empty(items.Match(new IsNull("a")));
    }

    [Fact]
    public void Is_empty_is_absent_null_or_an_empty_array()
    {
        var items = PayloadFixture.Of(
            """{"v":null}""", """{"v":[]}""", "{}", """{"v":{}}""", """{"v":[null]}""", """{"v":[[]]}""", """{"v":0}""",
            """{"v":""}""", """{"v":false}""", null, "[]", """{"a":[{"v":[]},{"v":null}]}""", """{"a":[{"v":[]},{"v":2}]}""");
        Assert.Equal([0, 1, 2, 9, 10, 11, 12], items.Match(new IsEmpty("v")));
        Assert.Equal([.. Enumerable.Range(0, 11), 11], items.Match(new IsEmpty("a.v")));
        Assert.Equal([.. Enumerable.Range(0, 11)], items.Match(new IsEmpty("a")));
    }

    [Fact]
    public void Has_id_keeps_live_known_ids()
    {
        var items = PayloadFixture.Of("{}", "{}", "{}", "{}");
        items.Delete(2);
        Assert.Equal([1, 3], items.Match(new IdIn(["i3", "i1", "i2", "nope", "i99", "i1"])));
        Assert.Empty(items.Match(new IdIn([])));
    }

    [Fact]
    public void All_any_and_not_combine_within_the_live_items()
    {
        var items = PayloadFixture.Of("""{"c":"red","n":1}""", """{"c":"blue","n":2}""", """{"c":"red","n":3}""", """{"c":"green"}""", null);
        items.Delete(1);
        Assert.Equal([0, 2, 3, 4], items.Match(new AllOf([])));
        Assert.Equal([0, 2, 3, 4], items.Match(new AllOf([])));
        Assert.Empty(items.Match(new AnyOf([])));
        Assert.Equal([3, 4], items.Match(new NotOf(new ValueIn("c", [S("red")]))));
        Assert.Equal([2], items.Match(new AllOf([new ValueIn("c", [S("red")]), new NumberRange("n", 1, null, null, null)])));
        Assert.Equal([0, 3], items.Match(new AnyOf([new ValueIn("n", [N(1)]), new ValueIn("c", [S("green")])])));
        Assert.Equal([2, 4], items.Match(new AllOf([new NotOf(new ValueIn("n", [N(1)])), new NotOf(new ValueIn("c", [S("green")]))])));
        Assert.Equal([0, 2, 3, 4], items.Match(new NotOf(new AnyOf([]))));
        Assert.Empty(items.Match(new NotOf(new AllOf([]))));
    }

    [Fact]
    public void Removing_items_drops_their_slots_values_and_paths()
    {
        var items = PayloadFixture.Of("""{"t":["x","x","y"],"n":1}""", """{"t":"x","n":1.0}""", """{"t":"z","n":2}""");
        long three = items.Index.MemoryBytes;
        items.Delete(0);
        Assert.Equal([1], items.Match(new ValueIn("t", [S("x")])));
        Assert.Empty(items.Match(new ValueIn("t", [S("y")])));
        Assert.Equal([1, 2], items.Match(new ValueNotIn("t", [S("q")])));
        Assert.Equal([1], items.Match(new NumberRange("n", null, 1, null, 1)));
        items.Replace(1, """{"other":true}""");
        items.Delete(2);
        Assert.Empty(items.Match(new ValueNotIn("t", [])));
        Assert.Empty(items.Match(new NumberRange("n", null, double.MinValue, null, null)));
        Assert.Equal([1], items.Match(new ValueIn("other", [B(true)])));
        Assert.True(items.Index.MemoryBytes < three);
        items.Delete(1);
        Assert.True(items.Index.MemoryBytes < three / 2, $"{items.Index.MemoryBytes} bytes left of {three}");
    }

    [Theory]
    [InlineData(1)]     // dense: the posting is a bitmap, then an array again
    [InlineData(1000)]  // sparse: the posting stays an array
    public void Postings_shrink_as_slots_leave(int stride)
    {
        var index = new PayloadIndex();
        PayloadEntry[] entries = [new("k", PayloadEntryKind.Value, S("v"))];
        long before = index.MemoryBytes;
        for (int i = 0; i < 10_000; i++)
        {
            index.Add(i * stride, entries);
        }
        long full = index.MemoryBytes;
        Assert.True(full > before + 10_000 / 8);
        for (int i = 0; i < 9_990; i++)
        {
            index.Remove(i * stride, entries);
        }
        Assert.True(index.MemoryBytes < before + 1_000, $"{index.MemoryBytes} bytes left after removing 9,990 of 10,000");
        var live = SlotSet.Of(10_000 * stride, 9_990 * stride, 9_991 * stride, 5);
        Assert.Equal([9_990 * stride, 9_991 * stride], Slots(index.Evaluate(new ValueIn("k", [S("v")]), live, _ => -1)));
        index.Clear();
        Assert.Empty(Slots(index.Evaluate(new ValueIn("k", [S("v")]), SlotSet.All(10_000 * stride), _ => -1)));
    }

    [Fact]
    public void Entries_past_the_cap_are_not_seen_by_filters_and_no_negative_condition_matches_the_item()
    {
        string numbers = string.Join(",", Enumerable.Range(0, 2000));
        var items = PayloadFixture.Of($$"""{"first":1,"v":[{{numbers}}],"after":"x"}""", """{"first":2}""");
        var entries = new List<PayloadEntry>();
        Assert.Equal(PayloadExtraction.Truncated, PayloadDocument.Extract(items.Metadata(0), entries));
        Assert.Equal(PayloadDocument.MaxEntriesPerItem, entries.Count);
        Assert.Equal(PayloadExtraction.Complete, PayloadDocument.Extract(items.Metadata(1), entries));

        // "first" and the array's non-empty mark take two entries, so the values 0 … cap − 3 are indexed.
        int last = PayloadDocument.MaxEntriesPerItem - 3;
        Assert.Equal([0], items.Match(new ValueIn("v", [N(last)])));
        Assert.Empty(items.Match(new ValueIn("v", [N(last + 1)])));
        Assert.Empty(items.Match(new NumberRange("v", last, null, null, null)));
        Assert.Equal([0], items.Match(new ValueIn("first", [N(1)])));
        // "after" lies past the cap: the item is neither empty there nor outside a condition on it.
        Assert.Equal([1], items.Match(new IsEmpty("after")));
        Assert.Equal([1], items.Match(new NotOf(new ValueIn("after", [S("x")]))));
        Assert.Empty(items.Match(new NotOf(new ValueIn("first", [N(2)]))));
        // Replaced by metadata within the cap, it is seen whole.
        items.Replace(0, """{"first":1,"after":"x"}""");
        Assert.Equal([1], items.Match(new NotOf(new ValueIn("after", [S("x")]))));
        Assert.Equal([0], items.Match(new NotOf(new ValueIn("first", [N(2)]))));
    }

    [Fact]
    public void Metadata_with_an_unpaired_surrogate_is_unreadable_and_never_matches_a_negative_condition()
    {
        var items = PayloadFixture.Of("""{"keep":true,"note":"\ud83d"}""", """{"keep":false}""");
        Assert.Equal(PayloadExtraction.Unreadable, PayloadDocument.Extract(items.Metadata(0), []));
        Assert.Equal([1], items.Match(new NotOf(new ValueIn("keep", [B(true)]))));
        Assert.Equal([1], items.Match(new AnyOf([new IsEmpty("keep"), new NotOf(new ValueIn("keep", [B(true)]))])));
    }

    [Fact]
    public void Extraction_never_throws_and_stops_at_the_depth_cap()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300);
        string arrays = "{\"a\":" + new string('[', 500) + "1" + new string(']', 500) + "}";
        string twoDeep(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "7" + new string('}', depth);
        var items = PayloadFixture.Of(deep, arrays, twoDeep(PayloadDocument.MaxDepth), twoDeep(PayloadDocument.MaxDepth + 1), "{\"s\":\"\\ud800\"}", "{\"a\":1,}");
        string path(int depth) => string.Join(".", Enumerable.Repeat("a", depth));
        Assert.Equal([2], items.Match(new ValueIn(path(PayloadDocument.MaxDepth), [N(7)])));
        Assert.Empty(items.Match(new ValueIn(path(PayloadDocument.MaxDepth + 1), [N(7)])));
        Assert.Empty(items.Match(new ValueIn("a", [N(1)])));
        Assert.Equal([0, 1, 2, 3], items.Match(new NotOf(new IsEmpty("a"))));
    }

    [Fact]
    public void Evaluate_runs_on_many_threads_at_once()
    {
        var items = new PayloadFixture();
        for (int i = 0; i < 5_000; i++)
        {
            items.Append($$"""{"n":{{i % 97}},"t":["a{{i % 7}}","b{{i % 5}}"]}""");
        }
        PayloadFilter filter = new AllOf([new NumberRange("n", 10, null, null, 60), new AnyOf([new ValueIn("t", [S("a3")]), new ValueNotIn("t", [S("b1"), S("a0")])])]);
        int[] expected = items.Match(filter);
        Parallel.For(0, 64, _ => Assert.Equal(expected, Slots(items.Index.Evaluate(filter, items.Live, PayloadFixture.SlotOf))));
    }

    private static int[] Slots(SlotSet set)
    {
        var slots = new List<int>();
        foreach (int slot in set)
        {
            slots.Add(slot);
        }
        return [.. slots];
    }
}

using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData.Tests;

/// <summary>The products every filter test reads, written once per transport.</summary>
public sealed class FilterData : IAsyncLifetime
{
    private readonly Dictionary<Transport, VectordCollection<string, Product>> _collections = [];

    /// <summary>The records, as LINQ to objects sees them.</summary>
    public List<Product> Records { get; } = Products.Make(60);

    /// <summary>The collection holding <see cref="Records"/> on <paramref name="transport"/>.</summary>
    public VectordCollection<string, Product> Collection(Transport transport) => _collections[transport];

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        // The assembly fixture is created first; the class fixture reaches it through the test context.
        var node = (Node)(await TestContext.Current.GetFixture(typeof(Node)))!;
        foreach (var transport in Enum.GetValues<Transport>())
        {
            var collection = node.Store(transport).GetCollection<string, Product>(Node.NewName("filters"));
            await collection.EnsureCollectionExistsAsync();
            await collection.UpsertAsync(Records);
            _collections[transport] = collection;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Mirrors the conformance suite's BasicFilterTests: each filter runs on the service, through search and through get
/// by filter, and must select exactly the records LINQ to objects selects from the same records (a filter that
/// selects none or all of them is refused as a weak test unless it says so). The test names of that suite are given
/// beside each filter.
/// </summary>
public sealed class FilterTests(FilterData data) : IClassFixture<FilterData>
{
    private const int ThreeField = 3;
    private static readonly int StaticThree = 3;

    public static TheoryData<Transport, string> Cases()
    {
        var cases = new TheoryData<Transport, string>();
        foreach (var transport in Enum.GetValues<Transport>())
        {
            foreach (var name in Filters(out _).Keys) { cases.Add(transport, name); }
        }
        return cases;
    }

    private static Dictionary<string, Expression<Func<Product, bool>>> Filters(out HashSet<string> all)
    {
        int? nullableThree = 3;
        string? nothing = null;
        string[] capturedCategories = ["boot", "shirt", "unknown"];
        List<string> capturedList = ["sandal"];
        double price = 12.25;
        string[] capturedTags = ["winter", "unknown"];
        var added = new DateTimeOffset(2026, 2, 2, 12, 30, 0, TimeSpan.FromHours(2));
        var wrapper = new { Value = 3 };
        all = ["Bool_Or_Not_Bool"];
        return new()
        {
            ["Equal_with_int"] = r => r.Stock == 3,
            ["Equal_with_string"] = r => r.Category == "boot",
            ["Equal_with_string_is_not_Contains"] = r => r.Category == "boo" || r.Stock == 1,
            ["Equal_reversed"] = r => 3 == r.Stock,
            ["Equal_with_null_reference_type"] = r => r.Brand == null,
            ["Equal_with_null_captured"] = r => r.Brand == nothing,
            ["Equal_int_property_with_nonnull_nullable_int"] = r => r.Stock == nullableThree,
            ["Equal_with_long"] = r => r.Sold == 7000L,
            ["Equal_with_fractional_double_captured"] = r => r.Price == price,
            ["Equal_with_float"] = r => r.Rating == 2.2f,
            ["NotEqual_with_int"] = r => r.Stock != 3,
            ["NotEqual_with_string"] = r => r.Category != "boot",
            ["NotEqual_with_null_reference_type"] = r => r.Brand != null,
            ["NotEqual_with_null_captured"] = r => r.Brand != nothing,
            ["NotEqual_with_string_on_a_nullable_field"] = r => r.Brand != "brand1",
            ["Bool"] = r => r.InSale,
            ["Bool_And_Bool"] = r => r.InSale && r.InSale,
            ["Bool_Or_Not_Bool"] = r => r.InSale || !r.InSale,
            ["Bool_Equal_false"] = r => r.InSale == false,
            ["GreaterThan_with_int"] = r => r.Stock > 3,
            ["GreaterThanOrEqual_with_int"] = r => r.Stock >= 3,
            ["LessThan_with_int"] = r => r.Stock < 3,
            ["LessThanOrEqual_with_int"] = r => r.Stock <= 3,
            ["LessThan_reversed"] = r => 3 < r.Stock,
            ["LessThan_with_double"] = r => r.Price < 20.25,
            ["GreaterThan_with_float"] = r => r.Rating > 2.2f,
            ["GreaterThanOrEqual_with_long"] = r => r.Sold >= 20_000L,
            ["And"] = r => r.Stock == 3 && r.Category == "boot",
            ["Or"] = r => r.Stock == 3 || r.Category == "boot",
            ["And_within_And"] = r => (r.Stock > 1 && r.Category != "boot") && r.Price < 40,
            ["And_within_Or"] = r => (r.Stock == 3 && r.Category == "boot") || r.Price > 50,
            ["Or_within_And"] = r => (r.Stock == 2 || r.Stock == 3) && r.Category == "sandal",
            ["Not_over_Equal"] = r => !(r.Stock == 3),
            ["Not_over_NotEqual"] = r => !(r.Stock != 3),
            ["Not_over_And"] = r => !(r.Stock == 3 && r.Category == "boot"),
            ["Not_over_Or"] = r => !(r.Stock == 3 || r.Category == "boot"),
            ["Not_over_bool"] = r => !r.InSale,
            ["Not_over_bool_And_Comparison"] = r => !r.InSale && r.Stock != int.MaxValue,
            ["Not_over_range"] = r => !(r.Price < 20),
            ["Contains_over_field_string_array"] = r => r.Tags.Contains("summer"),
            ["Contains_over_field_int_List"] = r => r.Sizes.Contains(38),
            ["Contains_over_inline_int_array"] = r => new[] { 1, 4 }.Contains(r.Stock),
            ["Contains_over_inline_string_array"] = r => new[] { "boot", "sandal", "unknown" }.Contains(r.Category),
            ["Contains_over_inline_string_array_with_weird_chars"] = r => new[] { "boot", "un  , ' \"" }.Contains(r.Category),
            ["Contains_over_captured_string_array"] = r => capturedCategories.Contains(r.Category),
            ["Contains_over_captured_string_List"] = r => capturedList.Contains(r.Category),
            ["Captured_local_variable"] = r => r.Stock == nullableThree!.Value,
            ["Member_const_field"] = r => r.Stock == ThreeField,
            ["Member_static_readonly_field"] = r => r.Stock == StaticThree,
            ["Member_nested_access"] = r => r.Stock == wrapper.Value,
            ["Key_equal"] = r => r.Id == "p007",
            ["Key_not_equal"] = r => r.Id != "p007",
            ["Key_in_captured_array"] = r => new[] { "p001", "p010", "zzz" }.Contains(r.Id),
            ["Any_over_field_with_Contains_over_captured_string_array"] = r => r.Tags.Any(t => capturedTags.Contains(t)),
            ["Any_over_field_with_Contains_over_inline_int_array"] = r => r.Sizes.Any(s => new[] { 39, 99 }.Contains(s)),
            ["Equal_with_DateTime"] = r => r.Day == new DateTime(2026, 1, 3, 0, 0, 0, DateTimeKind.Utc),
            ["Equal_with_DateTimeOffset_captured"] = r => r.Added == added,
            ["NotEqual_with_DateTimeOffset"] = r => r.Added != added,
            ["GreaterThan_with_DateTime"] = r => r.Day > new DateTime(2026, 1, 3, 0, 0, 0, DateTimeKind.Utc),
            ["LessThanOrEqual_with_DateTimeOffset_captured"] = r => r.Added <= added,
            ["GreaterThanOrEqual_with_DateTimeOffset_reversed"] = r => added <= r.Added,
        };
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Filter_selects_what_LINQ_to_objects_selects(Transport transport, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var filter = Filters(out var all)[name];
        var expected = data.Records.Where(filter.Compile()).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        if (!all.Contains(name)) { Assert.NotEqual(data.Records.Count, expected.Count); }
        var collection = data.Collection(transport);

        var searched = await collection.SearchAsync(new[] { 1f, 1f, 1f }, data.Records.Count, new() { Filter = filter }, ct)
            .Select(r => r.Record.Id).ToListAsync(ct);
        Assert.Equal(expected, searched.Order(StringComparer.Ordinal));

        var got = await collection.GetAsync(filter, data.Records.Count, cancellationToken: ct).Select(r => r.Id).ToListAsync(ct);
        Assert.Equal(expected, got);
    }

    public static TheoryData<Transport, string> UnsupportedCases()
    {
        var cases = new TheoryData<Transport, string>();
        foreach (var transport in Enum.GetValues<Transport>())
        {
            foreach (var name in Unsupported().Keys) { cases.Add(transport, name); }
        }
        return cases;
    }

    private static Dictionary<string, (Expression<Func<Product, bool>> Filter, string Named)> Unsupported() => new()
    {
        ["string method"] = (r => r.Category.StartsWith("bo", StringComparison.Ordinal), "StartsWith"),
        ["arithmetic"] = (r => r.Stock + 1 == 3, "(r.Stock + 1)"),
        ["string length"] = (r => r.Category.Length > 3, "Length"),
        ["two fields"] = (r => r.Stock == r.Sizes.Count, "r.Sizes.Count"),
        ["range on a string"] = (r => string.Compare(r.Category, "b", StringComparison.Ordinal) > 0, "Compare"),
    };

    [Theory, MemberData(nameof(UnsupportedCases))]
    public async Task An_unsupported_expression_raises_NotSupportedException_naming_it(Transport transport, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var (filter, named) = Unsupported()[name];
        var collection = data.Collection(transport);

        var error = await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await collection.SearchAsync(new[] { 1f, 1f, 1f }, 5, new() { Filter = filter }, ct).ToListAsync(ct));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.GetAsync(filter, 5, cancellationToken: ct).ToListAsync(ct));
    }
}

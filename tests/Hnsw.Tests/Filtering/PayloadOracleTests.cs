using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Hnsw.Tests.Filtering;

/// <summary>The payload index against <see cref="ReferenceFilter"/> on random metadata, random filters, deletes and
/// replacements.</summary>
public sealed class PayloadOracleTests
{
    private static readonly string[] s_keys = ["a", "b", "c", "tags", "x.y", ""];
    private static readonly string[] s_paths = ["a", "b", "c", "tags", "a.b", "a.c", "b.a", "a.b.c", "tags.a", "x", "x.y", "missing"];
    private static readonly string[] s_numbers = ["0", "-0", "-0.0", "1", "1.0", "1e0", "2", "2.5", "-3", "10", "1e400"];
    private static readonly string[] s_strings = ["\"1\"", "\"x\"", "\"y\"", "\"\"", "\"X\"", "\"true\""];
    private static readonly PayloadValue[] s_values =
        [V.N(0), V.N(1), V.N(2), V.N(2.5), V.N(-3), V.N(10), V.S("1"), V.S("x"), V.S("y"), V.S(""), V.B(true), V.B(false)];
    private static readonly double[] s_bounds = [-3, 0, 1, 2, 2.5, 10];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Evaluate_agrees_with_the_reference_on_random_items_and_filters(int seed)
    {
        var random = new Random(seed);
        var fixture = new PayloadFixture();
        for (int i = 0; i < 300; i++)
        {
            fixture.Append(Metadata(random));
        }
        Compare(fixture, random, 300);

        // Deletes and replacements leave the index as if built from what remains.
        for (int i = 0; i < 100; i++)
        {
            int slot = random.Next(fixture.Count);
            if (!fixture.Live.Contains(slot))
            {
                continue;
            }
            if (random.Next(2) == 0)
            {
                fixture.Delete(slot);
            }
            else
            {
                fixture.Replace(slot, Metadata(random));
            }
        }
        Compare(fixture, random, 300);
    }

    private static void Compare(PayloadFixture fixture, Random random, int filters)
    {
        for (int f = 0; f < filters; f++)
        {
            var filter = Filter(random, 0);
            var expected = Enumerable.Range(0, fixture.Count)
                .Where(slot => fixture.Live.Contains(slot)
                    && ReferenceFilter.Matches(filter, PayloadFixture.Id(slot), fixture.Metadata(slot)))
                .ToArray();
            Assert.True(expected.SequenceEqual(fixture.Match(filter)), $"filter {Describe(filter)}");
        }
    }

    private static string? Metadata(Random random) => random.Next(12) switch
    {
        0 => null,
        1 => Value(random, 2),
        2 => "not json",
        _ => Object(random, 0),
    };

    private static string Object(Random random, int depth)
    {
        var text = new StringBuilder("{");
        int keys = random.Next(depth == 0 ? 5 : 3);
        for (int i = 0; i < keys; i++)
        {
            text.Append(i > 0 ? "," : "").Append('"').Append(s_keys[random.Next(s_keys.Length)]).Append("\":")
                .Append(Value(random, depth + 1));
        }
        return text.Append('}').ToString();
    }

    private static string Value(Random random, int depth) => random.Next(depth >= 3 ? 4 : 7) switch
    {
        0 => s_numbers[random.Next(s_numbers.Length)],
        1 => s_strings[random.Next(s_strings.Length)],
        2 => random.Next(2) == 0 ? "true" : "false",
        3 => "null",
        4 or 5 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1))) + "]",
        _ => Object(random, depth),
    };

    private static PayloadFilter Filter(Random random, int depth)
    {
        string path = s_paths[random.Next(s_paths.Length)];
        return random.Next(depth >= 2 ? 6 : 10) switch
        {
            0 => new ValueIn(path, Values(random)),
            1 => new ValueNotIn(path, Values(random)),
            2 => Range(random, path),
            3 => new IsNull(path),
            4 => new IsEmpty(path),
            5 => new IdIn([.. Enumerable.Range(0, random.Next(4)).Select(_ => PayloadFixture.Id(random.Next(320))), "unknown"]),
            6 => new AllOf(Children(random, depth)),
            7 => new AnyOf(Children(random, depth)),
            8 => new NotOf(Filter(random, depth + 1)),
            _ => new AllOf([]),
        };
    }

    private static PayloadFilter[] Children(Random random, int depth) =>
        [.. Enumerable.Range(0, random.Next(4)).Select(_ => Filter(random, depth + 1))];

    private static PayloadValue[] Values(Random random) =>
        [.. Enumerable.Range(0, random.Next(4)).Select(_ => s_values[random.Next(s_values.Length)])];

    private static NumberRange Range(Random random, string path)
    {
        double? Bound() => random.Next(3) == 0 ? s_bounds[random.Next(s_bounds.Length)] : null;
        var range = new NumberRange(path, Bound(), Bound(), Bound(), Bound());
        return range is { Gt: null, Gte: null, Lt: null, Lte: null } ? range with { Gte = 1 } : range;
    }

    private static string Describe(PayloadFilter filter) => filter switch
    {
        AllOf f => "all(" + string.Join(", ", f.Filters.Select(Describe)) + ")",
        AnyOf f => "any(" + string.Join(", ", f.Filters.Select(Describe)) + ")",
        NotOf f => "not(" + Describe(f.Filter) + ")",
        ValueIn f => $"{f.Path} in [{string.Join(", ", f.Values)}]",
        ValueNotIn f => $"{f.Path} except [{string.Join(", ", f.Values)}]",
        IdIn f => $"id in [{string.Join(", ", f.Ids)}]",
        _ => filter.ToString(),
    };
}

using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Bench.Modes;

/// <summary>
/// The metadata the <c>filter</c> mode gives fashion-mnist and the filters it measures. Item i carries its class
/// (<c>label</c>, 10 values), <c>half</c> = i mod 2, <c>bucket</c> = i mod 1000, <c>rare</c> = i mod 10000 and
/// <c>tags</c>, 1–3 of 20 strings drawn from a generator seeded with i. A query is a test image with its own class.
/// </summary>
internal sealed class FilterCases(byte[] labels)
{
    private static readonly string[] s_tags = [.. Enumerable.Range(0, 20).Select(t => $"t{t}")];

    private readonly string[][] _tags = [.. Enumerable.Range(0, labels.Length).Select(TagsOf)];

    /// <summary>One filter: its name, the engine filter for a query of a given class, and the same rule over item i.</summary>
    public sealed record Case(string Name, Func<int, PayloadFilter> Filter, Func<int, int, bool> Matches);

    /// <summary>The filters, from half the items down to six.</summary>
    public IReadOnlyList<Case> All =>
    [
        new("half=0", _ => Equal("half", 0), (_, i) => i % 2 == 0),
        new("label=own", l => Equal("label", l), (l, i) => labels[i] == l),
        new("label=far", l => Equal("label", (l + 5) % 10), (l, i) => labels[i] == (l + 5) % 10),
        new("bucket=7", _ => Equal("bucket", 7), (_, i) => i % 1000 == 7),
        new("rare=42", _ => Equal("rare", 42), (_, i) => i % 10000 == 42),
        new("tags any t3,t11", _ => new ValueIn("tags", [PayloadValue.Of("t3"), PayloadValue.Of("t11")]), (_, i) => _tags[i].Contains("t3") || _tags[i].Contains("t11")),
        new("label=own and bucket<100", l => new AllOf([Equal("label", l), new NumberRange("bucket", null, null, 100, null)]),
            (l, i) => labels[i] == l && i % 1000 < 100),
    ];

    /// <summary>The metadata JSON of item i.</summary>
    public byte[] Metadata(int i) => Encoding.UTF8.GetBytes(
        $"{{\"label\":{labels[i]},\"half\":{i % 2},\"bucket\":{i % 1000},\"rare\":{i % 10000},\"tags\":[{string.Join(",", _tags[i].Select(t => $"\"{t}\""))}]}}");

    private static ValueIn Equal(string path, int value) => new(path, [PayloadValue.Of(value)]);

    private static string[] TagsOf(int i)
    {
        var random = new Random(i);
        return [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => s_tags[random.Next(s_tags.Length)]).Distinct()];
    }
}

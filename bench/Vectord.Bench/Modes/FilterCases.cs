using System.Text;
using Vectord.Hnsw.Filtering;
using Vectord.Storage.Items;

namespace Vectord.Bench.Modes;

/// <summary>
/// The metadata the <c>filter</c> mode gives fashion-mnist and the filters it measures. Item i carries its class
/// (<c>label</c>, 10 values), <c>half</c> = i mod 2, <c>bucket</c> = i mod 1000, <c>rare</c> = i mod 10000 and
/// <c>tags</c>, 1–3 of 20 strings drawn from a generator seeded with i. A query is a test image with its own class.
/// Each filter is written once, in the contract's form (<see cref="ItemFilter"/>, what the HTTP API takes); the
/// engine's form is the service's own translation of it.
/// </summary>
internal sealed class FilterCases(byte[] labels)
{
    private static readonly string[] s_tags = [.. Enumerable.Range(0, 20).Select(t => $"t{t}")];

    private readonly string[][] _tags = [.. Enumerable.Range(0, labels.Length).Select(TagsOf)];

    /// <summary>One filter: its name, the contract filter for a query of a given class (null: no filter), and the
    /// same rule over item i.</summary>
    public sealed record Case(string Name, Func<int, ItemFilter?> Contract, Func<int, int, bool> Matches)
    {
        /// <summary>The engine filter for a query of class <paramref name="label"/>, as the service translates it.</summary>
        public PayloadFilter? Filter(int label) => FilterTranslation.ToEngine(Contract(label));
    }

    /// <summary>No filter: every item.</summary>
    public static Case None { get; } = new("none", _ => null, (_, _) => true);

    /// <summary>The filters, from half the items down to six.</summary>
    public IReadOnlyList<Case> All =>
    [
        new("half=0", _ => ItemFilter.All(Where.Match("half", 0)), (_, i) => i % 2 == 0),
        new("label=own", l => ItemFilter.All(Where.Match("label", l)), (l, i) => labels[i] == l),
        new("label=far", l => ItemFilter.All(Where.Match("label", (l + 5) % 10)), (l, i) => labels[i] == (l + 5) % 10),
        new("bucket=7", _ => ItemFilter.All(Where.Match("bucket", 7)), (_, i) => i % 1000 == 7),
        new("rare=42", _ => ItemFilter.All(Where.Match("rare", 42)), (_, i) => i % 10000 == 42),
        new("tags any t3,t11", _ => ItemFilter.All(Where.MatchAny("tags", "t3", "t11")), (_, i) => _tags[i].Contains("t3") || _tags[i].Contains("t11")),
        new("label=own and bucket<100", l => ItemFilter.All(Where.Match("label", l), Where.Range("bucket", lt: 100)),
            (l, i) => labels[i] == l && i % 1000 < 100),
    ];

    /// <summary>The metadata JSON of item i.</summary>
    public string MetadataJson(int i) =>
        $"{{\"label\":{labels[i]},\"half\":{i % 2},\"bucket\":{i % 1000},\"rare\":{i % 10000},\"tags\":[{string.Join(",", _tags[i].Select(t => $"\"{t}\""))}]}}";

    /// <summary>The metadata of item i as UTF-8 JSON (the engine's form).</summary>
    public byte[] Metadata(int i) => Encoding.UTF8.GetBytes(MetadataJson(i));

    private static string[] TagsOf(int i)
    {
        var random = new Random(i);
        return [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => s_tags[random.Next(s_tags.Length)]).Distinct()];
    }
}

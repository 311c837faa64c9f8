using System.Text;
using Vectord.Hnsw.Filtering;

namespace Vectord.Storage.Items;

/// <summary>What an ordered query of items must be, and how the parts' ordered pages become the index's: each part
/// sends its first offset + limit items in the order (see <see cref="PayloadOrder"/>), which are merged in the same
/// order, skipped and taken here.</summary>
internal static class OrderRules
{
    /// <summary>Checks the ordering and paging of <paramref name="query"/> and returns it with its effective limit.</summary>
    /// <exception cref="InvalidIndexArgumentException">What is wrong, e.g. <c>order_by[1].key: must be a non-empty path</c>.</exception>
    public static ItemQuery Check(ItemQuery query)
    {
        var page = query with { Limit = ItemRules.EffectiveLimit(query.Limit) };
        if (query.OrderBy is null)
        {
            return query.Offset == 0 ? page : throw new InvalidIndexArgumentException("offset: applies to order_by queries only (page by id with after)");
        }
        if (query.OrderBy.Length is 0 or > IndexLimits.MaxOrderKeys)
        {
            throw new InvalidIndexArgumentException($"order_by: between 1 and {IndexLimits.MaxOrderKeys} keys are required");
        }
        for (int i = 0; i < query.OrderBy.Length; i++)
        {
            if (FilterRules.CheckKey(query.OrderBy[i]?.Key) is { } problem) { throw new InvalidIndexArgumentException($"order_by[{i}].key: {problem}"); }
        }
        if (query.After is not null) { throw new InvalidIndexArgumentException("after: cannot be combined with order_by (page with offset)"); }
        if (query.Offset < 0) { throw new InvalidIndexArgumentException("offset: must be 0 or more"); }
        if ((long)query.Offset + page.Limit > IndexLimits.MaxOrderedWindow)
        {
            throw new InvalidIndexArgumentException($"offset + limit: at most {IndexLimits.MaxOrderedWindow} with order_by");
        }
        return page;
    }

    /// <summary>The engine's sort keys of a checked ordering.</summary>
    public static SortKey[] ToEngine(OrderKey[] keys) => [.. keys.Select(k => new SortKey(k.Key, k.Descending))];

    /// <summary>The page of a checked ordered <paramref name="query"/> from the parts' pages (each its first offset +
    /// limit items in the order).</summary>
    public static ItemPage Merge(ItemPage[] perPart, ItemQuery query)
    {
        var keys = ToEngine(query.OrderBy!);
        var scratch = new List<PayloadEntry>();
        var all = perPart.SelectMany(p => p.Items)
            .Select(item => (Item: item, Values: PayloadOrder.ValuesOf(item.Metadata is null ? [] : item.Metadata.Utf8.Span, keys, scratch)))
            .ToList();
        all.Sort((a, b) => PayloadOrder.Compare(a.Values, a.Item.Id, b.Values, b.Item.Id, keys));
        return new ItemPage([.. all.Skip(query.Offset).Take(query.Limit).Select(e => e.Item)], null);
    }
}

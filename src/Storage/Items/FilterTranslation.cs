using Vectord.Hnsw.Filtering;

namespace Vectord.Storage.Items;

/// <summary>Maps the contract's filters (checked by <see cref="FilterRules"/>) to the engine's, which evaluates them
/// over its payload index: must is all of, should any of (when not empty), must_not none of.</summary>
internal static class FilterTranslation
{
    /// <summary>The engine's form of <paramref name="filter"/>; null (no filter) for null.</summary>
    public static PayloadFilter? ToEngine(ItemFilter? filter) => filter is null ? null : Filter(filter);

    private static PayloadFilter Filter(ItemFilter filter)
    {
        var parts = new List<PayloadFilter>();
        if (filter.Must is { Length: > 0 } must) { parts.AddRange(must.Select(Condition)); }
        if (filter.Should is { Length: > 0 } should) { parts.Add(new AnyOf([.. should.Select(Condition)])); }
        if (filter.MustNot is { Length: > 0 } mustNot) { parts.Add(new NotOf(new AnyOf([.. mustNot.Select(Condition)]))); }
        return parts.Count == 1 ? parts[0] : new AllOf([.. parts]);
    }

    private static PayloadFilter Condition(FilterCondition condition) => condition switch
    {
        ItemFilter nested => Filter(nested),
        MatchCondition m => new ValueIn(m.Key, [Value(m.Value)]),
        MatchAnyCondition m => new ValueIn(m.Key, [.. m.Any.Select(Value)]),
        MatchExceptCondition m => new ValueNotIn(m.Key, [.. m.Except.Select(Value)]),
        RangeCondition r => new NumberRange(r.Key, r.Gt, r.Gte, r.Lt, r.Lte),
        TimeRangeCondition t => new InstantRange(t.Key, t.Gt, t.Gte, t.Lt, t.Lte),
        TextMatchCondition m => new TextMatch(m.Key, m.Text),
        IsNullCondition n => new IsNull(n.Key),
        IsEmptyCondition e => new IsEmpty(e.Key),
        HasIdCondition h => new IdIn(h.Ids),
        _ => throw new InvalidIndexArgumentException($"unknown filter condition {condition.GetType().Name}"),
    };

    private static PayloadValue Value(FilterValue value) => value.Kind switch
    {
        FilterValueKind.Text => PayloadValue.Of(value.Text!),
        FilterValueKind.Boolean => PayloadValue.Of(value.Boolean),
        _ => PayloadValue.Of((double)value.Number),
    };
}

using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;

namespace Vectord.VectorData;

/// <summary>
/// Translates a LINQ filter over records into an <see cref="ItemFilter"/> the index evaluates, never filtering on the
/// client: <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&amp;&amp;</c>,
/// <c>||</c>, <c>!</c>, a bool member alone, <c>field.Contains(value)</c> on an array or list field,
/// <c>values.Contains(field)</c> on an array or list of values, <c>field.Any(x =&gt; values.Contains(x))</c>, and
/// captured variables (read when the filter is translated). Anything else raises <see cref="NotSupportedException"/>
/// naming the expression.
/// </summary>
/// <remarks>
/// Data properties are compared in their metadata JSON; the key compares through its item id (<c>has_id</c>).
/// <c>x == null</c> is the metadata value null; <c>x != v</c> and <c>!</c> hold for items without the value, as in
/// LINQ to objects. Equality with a non-integral number is the range [v, v]; a <see cref="DateTime"/> or
/// <see cref="DateTimeOffset"/> is matched as the ISO 8601 text its record was written with, and compared in a range
/// as an instant (a <see cref="DateTime"/> of unspecified kind as UTC, as the index reads one written without an offset).
/// </remarks>
internal sealed class FilterTranslator : FilterTranslatorBase
{
    /// <summary>The filter for <paramref name="filter"/>, or null when it selects every record (<c>r =&gt; true</c>).</summary>
    public ItemFilter? Translate(LambdaExpression filter, CollectionModel model)
    {
        var body = PreprocessFilter(filter, model, new FilterPreprocessingOptions());
        if (body is ConstantExpression { Value: true }) { return null; }
        return Translate(body) is ItemFilter itemFilter ? itemFilter : ItemFilter.All(Translate(body));
    }

    private FilterCondition Translate(Expression node) => node switch
    {
        BinaryExpression { NodeType: ExpressionType.AndAlso } and => Combine(Translate(and.Left), Translate(and.Right), any: false),
        BinaryExpression { NodeType: ExpressionType.OrElse } or => Combine(Translate(or.Left), Translate(or.Right), any: true),
        UnaryExpression { NodeType: ExpressionType.Not } not => ItemFilter.None(Translate(not.Operand)),
        BinaryExpression { NodeType: ExpressionType.Equal } equal => Equality(equal),
        BinaryExpression { NodeType: ExpressionType.NotEqual } notEqual => ItemFilter.None(Equality(notEqual)),
        BinaryExpression { NodeType: ExpressionType.LessThan or ExpressionType.LessThanOrEqual
            or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual } comparison => Comparison(comparison),
        MethodCallExpression call when TryMatchContains(call, out var source, out var item) => Contains(call, source, item),
        MethodCallExpression { Method.Name: nameof(Enumerable.Any), Arguments: [var field, LambdaExpression { Parameters: [var element], Body: MethodCallExpression inner }] } any
            when any.Method.DeclaringType == typeof(Enumerable) && TryMatchContains(inner, out var values, out var item) && Unwrap(item) == element =>
            AnyContained(any, field, values),
        _ when node.Type == typeof(bool) && TryBindProperty(node, out var property) && property is not KeyPropertyModel =>
            Where.Match(Key(property, node), true),
        _ => throw Unsupported(node),
    };

    // a && b && c becomes one filter of three musts (and a || b || c one of three shoulds), keeping nesting shallow.
    private static ItemFilter Combine(FilterCondition left, FilterCondition right, bool any)
    {
        FilterCondition[] conditions = [.. Parts(left, any), .. Parts(right, any)];
        return any ? ItemFilter.Any(conditions) : ItemFilter.All(conditions);

        static FilterCondition[] Parts(FilterCondition condition, bool any) => condition switch
        {
            ItemFilter { Must: null or [], MustNot: null or [], Should: { } should } when any => should,
            ItemFilter { Should: null or [], MustNot: null or [], Must: { } must } when !any => must,
            _ => [condition],
        };
    }

    private FilterCondition Equality(BinaryExpression node)
    {
        var (property, value) = Operands(node);
        if (property is KeyPropertyModel)
        {
            return value is null ? throw Unsupported(node) : Where.HasId(ItemIds.Format(value));
        }
        string key = Key(property, node);
        return value switch
        {
            null => Where.IsNull(key),
            string or Guid or bool or DateTime or DateTimeOffset or DateOnly or TimeOnly => Where.Match(key, Scalar(value, node)),
            _ => Number(value, node) is var number && double.IsInteger(number) && Math.Abs(number) <= (1L << 53)
                ? Where.Match(key, (long)number)
                : Where.Range(key, gte: number, lte: number),
        };
    }

    private FilterCondition Comparison(BinaryExpression node)
    {
        var (property, value) = Operands(node);
        if (property is KeyPropertyModel || value is null) { throw Unsupported(node); }
        bool flipped = Unwrap(node.Left) is ConstantExpression;   // 5 < r.X is r.X > 5
        string key = Key(property, node);
        if (value is DateTime or DateTimeOffset)
        {
            var instant = value is DateTime date
                ? new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date)
                : (DateTimeOffset)value;
            return (node.NodeType, flipped) switch
            {
                (ExpressionType.LessThan, false) or (ExpressionType.GreaterThan, true) => Where.TimeRange(key, lt: instant),
                (ExpressionType.LessThanOrEqual, false) or (ExpressionType.GreaterThanOrEqual, true) => Where.TimeRange(key, lte: instant),
                (ExpressionType.GreaterThan, false) or (ExpressionType.LessThan, true) => Where.TimeRange(key, gt: instant),
                _ => Where.TimeRange(key, gte: instant),
            };
        }
        double number = Number(value, node);
        return (node.NodeType, flipped) switch
        {
            (ExpressionType.LessThan, false) or (ExpressionType.GreaterThan, true) => Where.Range(key, lt: number),
            (ExpressionType.LessThanOrEqual, false) or (ExpressionType.GreaterThanOrEqual, true) => Where.Range(key, lte: number),
            (ExpressionType.GreaterThan, false) or (ExpressionType.LessThan, true) => Where.Range(key, gt: number),
            _ => Where.Range(key, gte: number),
        };
    }

    private FilterCondition Contains(MethodCallExpression node, Expression source, Expression item)
    {
        // field.Contains(value): an array field matches when any element does.
        if (TryBindProperty(Unwrap(source), out var field) && field is not KeyPropertyModel && Unwrap(item) is ConstantExpression { Value: { } value })
        {
            return Where.Match(Key(field, node), Scalar(value, node));
        }
        // values.Contains(field)
        if (!TryBindProperty(Unwrap(item), out var property) || Values(source) is not { } values)
        {
            throw Unsupported(node);
        }
        return property is KeyPropertyModel
            ? Where.HasId([.. values.Select(ItemIds.Format)])
            : Where.MatchAny(Key(property, node), [.. values.Select(v => Scalar(v, node))]);
    }

    // field.Any(x => values.Contains(x)): an array field matches when any element is one of the values.
    private MatchAnyCondition AnyContained(MethodCallExpression node, Expression field, Expression values)
    {
        if (!TryBindProperty(Unwrap(field), out var property) || property is KeyPropertyModel || Values(values) is not { } accepted)
        {
            throw Unsupported(node);
        }
        return Where.MatchAny(Key(property, node), [.. accepted.Select(v => Scalar(v, node))]);
    }

    private static List<object>? Values(Expression source) => Unwrap(source) switch
    {
        ConstantExpression { Value: IEnumerable values and not string } => [.. values.Cast<object>()],
        NewArrayExpression array when array.Expressions.All(e => e is ConstantExpression { Value: not null }) =>
            [.. array.Expressions.Select(e => ((ConstantExpression)e).Value!)],
        _ => null,
    };

    // The bound property and the constant of a binary node, either way round.
    private (PropertyModel Property, object? Value) Operands(BinaryExpression node) =>
        TryBindProperty(Unwrap(node.Left), out var property) && Unwrap(node.Right) is ConstantExpression right ? (property, right.Value)
        : TryBindProperty(Unwrap(node.Right), out property) && Unwrap(node.Left) is ConstantExpression left ? (property, left.Value)
        : throw Unsupported(node);

    // r.Int == nullableInt and comparisons of a nullable member carry conversions around either side.
    private static Expression Unwrap(Expression node) =>
        node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert ? Unwrap(convert.Operand) : node;

    private static string Key(PropertyModel property, Expression node) =>
        property.StorageName.Contains('.', StringComparison.Ordinal)
            ? throw new NotSupportedException($"filter '{node}': property '{property.ModelName}' is stored as '{property.StorageName}', and a key holding a dot is not filterable")
            : property.StorageName;

    private static FilterValue Scalar(object value, Expression node) => value switch
    {
        string text => text,
        Guid guid => guid.ToString("D"),
        bool boolean => boolean,
        // A date matches the text the record's metadata holds for it (System.Text.Json's ISO 8601 form).
        DateTime or DateTimeOffset or DateOnly or TimeOnly => System.Text.Json.JsonSerializer.SerializeToElement(value, value.GetType()).GetString()!,
        int or long or short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"filter '{node}': the value {value} ({value.GetType().Name}) cannot be matched; use a string, an integer, a bool or a date"),
    };

    private static double Number(object value, Expression node) => value switch
    {
        // A float is compared as the decimal text JSON holds for it (1.1f is 1.1, not 1.100000023841858).
        float single => double.Parse(single.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        double or decimal or int or long or short or byte or sbyte or ushort or uint => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"filter '{node}': the value {value} ({value.GetType().Name}) is not a number"),
    };

    private static NotSupportedException Unsupported(Expression node) =>
        new($"filter '{node}' is not supported by Vectord: use ==, !=, <, <=, >, >=, &&, ||, !, bool members, " +
            "field.Contains(value) and values.Contains(field) over constants or captured variables");
}

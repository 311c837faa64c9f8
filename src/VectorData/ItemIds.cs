using System.Globalization;

namespace Vectord.VectorData;

/// <summary>
/// The one mapping between a record's key and the item id Vectord stores: a <see cref="string"/> as it is, a
/// <see cref="Guid"/> in its "D" form (<c>0f8fad5b-d9cb-469f-a165-70867728950e</c>, lower case), an <see cref="int"/>
/// or <see cref="long"/> in invariant decimal (<c>-42</c>). Ids therefore sort ordinally as text, not by number.
/// </summary>
internal static class ItemIds
{
    /// <summary>The key types a collection may use.</summary>
    public static bool IsSupported(Type type) =>
        type == typeof(string) || type == typeof(Guid) || type == typeof(int) || type == typeof(long);

    /// <summary>The item id of <paramref name="key"/>.</summary>
    public static string Format(object key) => key switch
    {
        string text => text,
        Guid guid => guid.ToString("D"),
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException(
            $"key type '{key.GetType().Name}' is not supported by Vectord (use string, Guid, int or long)"),
    };

    /// <summary>The key of type <paramref name="keyType"/> that <paramref name="id"/> stands for.</summary>
    /// <exception cref="InvalidOperationException">The id was not written by a collection of this key type.</exception>
    public static object Parse(string id, Type keyType)
    {
        if (keyType == typeof(string)) { return id; }
        bool parsed;
        object key;
        if (keyType == typeof(Guid))
        {
            parsed = Guid.TryParseExact(id, "D", out var guid);
            key = guid;
        }
        else if (keyType == typeof(int))
        {
            parsed = int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);
            key = number;
        }
        else
        {
            parsed = long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);
            key = number;
        }
        return parsed ? key : throw new InvalidOperationException($"item id '{id}' is not a {keyType.Name} key");
    }
}

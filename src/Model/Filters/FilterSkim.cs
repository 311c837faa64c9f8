using System.Text.Json;

namespace Vectord;

/// <summary>
/// Refuses a request body whose filters cost more than <see cref="FilterRules.MaxCost"/> before it is parsed: a
/// large body (a few MiB of conditions) would take longer to parse than to refuse. It counts the conditions (the
/// objects in <c>must</c>, <c>should</c> and <c>must_not</c> arrays) of every filter in the body, a lower bound of
/// their cost, and stops at the first that passes the budget; <see cref="FilterJson"/> then finds the exact cost of
/// what it lets through.
/// </summary>
public static class FilterSkim
{
    /// <summary>Bodies up to this size are not skimmed: they parse faster than the budget takes to pass.</summary>
    public const int MinBytes = 64 * 1024;

    /// <summary>Throws when the filters in <paramref name="json"/>, a whole request body of a route whose only
    /// <c>must</c>, <c>should</c> and <c>must_not</c> arrays are filters', cost more than the budget. Malformed JSON
    /// is left to the parser, which names what is wrong.</summary>
    /// <param name="json">The body.</param>
    /// <param name="path">How the body's filters are named in the message (<c>filter</c>, <c>searches</c>).</param>
    /// <exception cref="InvalidIndexArgumentException">The message names the budget and the cost reached.</exception>
    public static void ThrowIfOverBudget(ReadOnlySpan<byte> json, string path)
    {
        if (json.Length <= MinBytes)
        {
            return;
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        // Per open container, whether it is an array of conditions; the property just read names the next one.
        var lists = new Stack<bool>();
        bool named = false;
        long conditions = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        named = reader.ValueTextEquals("must"u8) || reader.ValueTextEquals("should"u8) || reader.ValueTextEquals("must_not"u8);
                        continue;
                    case JsonTokenType.StartArray:
                        lists.Push(named);
                        break;
                    case JsonTokenType.StartObject:
                        if (lists.TryPeek(out bool inList) && inList
                            && FilterRules.CostProblem(++conditions * FilterRules.ConditionCost, path, atLeast: true) is { } problem)
                        {
                            throw new InvalidIndexArgumentException(problem);
                        }
                        lists.Push(false);
                        break;
                    case JsonTokenType.EndArray or JsonTokenType.EndObject:
                        lists.Pop();
                        break;
                }
                named = false;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the parser says where.
        }
    }
}

namespace Vectord;

/// <summary>
/// The cost (<see cref="FilterRules.MaxCost"/>) the filters of one request have spent so far, as
/// <see cref="FilterJson.Read(System.Text.Json.JsonElement, string, FilterBudget)"/> reads them: a request whose
/// filters pass the budget is refused at the condition that passes it, before the rest is read. Share one between
/// the filters of one request (the searches of a batch).
/// </summary>
public sealed class FilterBudget
{
    /// <summary>The cost spent so far.</summary>
    public long Spent { get; private set; }

    /// <summary>Spends <paramref name="cost"/> for the part of a filter at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidIndexArgumentException">The request's filters now cost more than the budget.</exception>
    internal void Spend(long cost, string path)
    {
        Spent += cost;
        if (FilterRules.CostProblem(Spent, path, atLeast: true) is { } problem)
        {
            throw new InvalidIndexArgumentException(problem);
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vectord.Bench.Common;
using Vectord.Hnsw;
using Vectord.Storage.Items;

namespace Vectord.Bench.Modes;

/// <summary>
/// The filter budget (<see cref="FilterRules.MaxCost"/>) at its two ends, for the <c>filter</c> mode: the worst body
/// the caps allow (a million empty filters nested 1,024 × 1,024 in about 3 MiB) read as the gateway reads it, which
/// must be refused in under 50 ms, and the heaviest filters within the budget counted on the mode's index (as many
/// <c>except</c> or <c>range</c> conditions on <c>rare</c>, 10,000 distinct values, as the budget allows), each of
/// which must take at most a second.
/// </summary>
internal sealed class FilterCost(TextWriter output)
{
    /// <summary>Goal for refusing the worst body, in milliseconds.</summary>
    public const double RefusalGoalMs = 50;

    /// <summary>Goal for the heaviest allowed filter, in seconds.</summary>
    public const double HeavyGoalSeconds = 1;

    /// <summary>Measures and reports both ends, appending JSON lines to <paramref name="jsonPath"/> when given.</summary>
    public void Run(HnswIndex index, string? jsonPath, CancellationToken cancellationToken)
    {
        string inner = $$"""{"must":[{{string.Join(",", Enumerable.Repeat("{}", FilterRules.MaxValues))}}]}""";
        byte[] worst = Encoding.UTF8.GetBytes($$$"""{"must":[{{{string.Join(",", Enumerable.Repeat(inner, FilterRules.MaxValues))}}}]}""");
        Refuse(worst, out _);   // warm up
        string detail = Refuse(worst, out double refusedMs);
        output.WriteLine(FormattableString.Invariant(
            $"cost        worst body the caps allow ({worst.Length / 1048576.0:F1} MiB, 1,049,600 conditions): 400 in {refusedMs:F2} ms (goal < {RefusalGoalMs} ms): {detail[..Math.Min(detail.Length, 60)]}..."));
        Append(jsonPath, new FilterCostResult("filter-cost", "worst body", index.Count, FilterRules.MaxCost, 0, Math.Round(refusedMs / 1000, 4), true,
            refusedMs < RefusalGoalMs));

        int conditions = FilterRules.MaxCost / (FilterRules.ConditionCost + 1);
        foreach (var (name, condition) in new (string, Func<int, FilterCondition>)[]
        {
            ("except", i => Where.MatchExcept("rare", i)),
            ("range", i => Where.Range("rare", gte: i)),
        })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var filter = ItemFilter.All([.. Enumerable.Range(0, conditions).Select(condition)]);
            long cost = FilterRules.Cost(filter);
            var engine = FilterTranslation.ToEngine(filter)!;
            var counted = Stopwatch.GetTimestamp();
            int matches = index.CountMatching(engine, cancellationToken);
            double seconds = Stopwatch.GetElapsedTime(counted).TotalSeconds;
            output.WriteLine(FormattableString.Invariant(
                $"cost        heaviest allowed: {conditions} {name} conditions on rare (cost {cost} of {FilterRules.MaxCost}), count over {index.Count} items: {matches} in {seconds:F3} s (goal <= {HeavyGoalSeconds} s)"));
            Append(jsonPath, new FilterCostResult("filter-cost", $"{conditions} {name}", index.Count, FilterRules.MaxCost, cost, Math.Round(seconds, 4), false,
                seconds <= HeavyGoalSeconds));
        }
    }

    /// <summary>The refusal of <paramref name="body"/>, read as the gateway reads a filter (skimmed with
    /// <see cref="FilterSkim"/>, then parsed into a <see cref="JsonElement"/> and read with <see cref="FilterJson"/>),
    /// and the time it took.</summary>
    private static string Refuse(byte[] body, out double ms)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            FilterSkim.ThrowIfOverBudget(body, "filter");
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            FilterJson.Read(document.RootElement);
        }
        catch (InvalidIndexArgumentException e)
        {
            ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return e.Message;
        }
        throw new BenchException("the worst body the caps allow was accepted");
    }

    private static void Append(string? jsonPath, FilterCostResult result)
    {
        if (jsonPath is not null) { JsonLines.Append(jsonPath, result); }
    }
}

/// <summary>One JSON line of the <c>filter</c> mode's cost check.</summary>
internal sealed record FilterCostResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("filter")] string Filter,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("budget")] int Budget,
    [property: JsonPropertyName("cost")] long Cost,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("refused")] bool Refused,
    [property: JsonPropertyName("goal_met")] bool GoalMet);

namespace Vectord.Grains.Hosting;

/// <summary>How long a silo lets one request's filters run (configuration section <c>Filters</c>), validated at start.</summary>
public sealed class FilterOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Filters";

    /// <summary>Longest a limit may be: under Orleans' 30 s response timeout, so that a caller hears the limit's
    /// error rather than a timeout whose outcome is unknown.</summary>
    public static readonly TimeSpan MaxLimit = TimeSpan.FromSeconds(25);

    /// <summary>Longest time a search, search batch, query, count or delete by filter may spend evaluating and
    /// searching before it is stopped with <see cref="FilterTimeoutException"/>.</summary>
    public TimeSpan MaxEvaluationTime { get; set; } = TimeSpan.FromSeconds(10);
}

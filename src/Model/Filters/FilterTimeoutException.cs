namespace Vectord;

/// <summary>A filter took longer to evaluate than the silo allows (<c>Filters:MaxEvaluationTime</c>); the work was
/// stopped and nothing was changed. A narrower filter, or a quieter node, may answer.</summary>
[GenerateSerializer, Alias("vectord.FilterTimeoutException")]
public sealed class FilterTimeoutException(string message) : VectordException(message);

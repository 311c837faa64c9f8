using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData;

/// <summary>
/// MEVD distance functions, the index distances they map to, and how a distance the index reports becomes the score
/// MEVD promises:
/// <list type="table">
/// <item><term><see cref="DistanceFunction.CosineSimilarity"/> (the default)</term><description><c>cosine</c>; score 1 − distance (higher is closer)</description></item>
/// <item><term><see cref="DistanceFunction.CosineDistance"/></term><description><c>cosine</c>; score = the distance, 1 − cos (lower is closer)</description></item>
/// <item><term><see cref="DistanceFunction.EuclideanDistance"/></term><description><c>euclidean</c>; score = the L2 distance (lower is closer)</description></item>
/// <item><term><see cref="DistanceFunction.EuclideanSquaredDistance"/></term><description><c>euclidean</c>; score = its square (lower is closer)</description></item>
/// <item><term><see cref="DistanceFunction.DotProductSimilarity"/></term><description><c>dot</c>, which reports −(q·v); score q·v (higher is closer)</description></item>
/// <item><term><see cref="DistanceFunction.NegativeDotProductSimilarity"/></term><description><c>dot</c>; score −(q·v) as reported (lower is closer)</description></item>
/// </list>
/// The same index answers both functions of a pair: only the score's form differs.
/// </summary>
internal static class Distances
{
    /// <summary>The index distance of a vector property's distance function (null: cosine similarity).</summary>
    /// <exception cref="NotSupportedException">Any other function, named.</exception>
    public static IndexDistance ToIndex(string? distanceFunction) => distanceFunction switch
    {
        null or DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance => IndexDistance.Cosine,
        DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance => IndexDistance.Euclidean,
        DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity => IndexDistance.Dot,
        _ => throw new NotSupportedException(
            $"distance function '{distanceFunction}' is not supported by Vectord (use {DistanceFunction.CosineSimilarity}, " +
            $"{DistanceFunction.CosineDistance}, {DistanceFunction.EuclideanDistance}, {DistanceFunction.EuclideanSquaredDistance}, " +
            $"{DistanceFunction.DotProductSimilarity} or {DistanceFunction.NegativeDotProductSimilarity})"),
    };

    /// <summary>The MEVD score, under <paramref name="distanceFunction"/>, of a distance the index reports.</summary>
    public static double ToScore(string? distanceFunction, float reported) => distanceFunction switch
    {
        DistanceFunction.CosineDistance or DistanceFunction.EuclideanDistance or DistanceFunction.NegativeDotProductSimilarity => reported,
        DistanceFunction.EuclideanSquaredDistance => (double)reported * reported,
        DistanceFunction.DotProductSimilarity => -(double)reported,
        _ => 1 - (double)reported,
    };

    /// <summary>Whether a score passes <paramref name="threshold"/>: at least it for similarities, at most it for
    /// distances.</summary>
    public static bool Passes(string? distanceFunction, double score, double? threshold) =>
        threshold is not { } limit || (LowerIsCloser(distanceFunction) ? score <= limit : score >= limit);

    private static bool LowerIsCloser(string? distanceFunction) => distanceFunction is DistanceFunction.CosineDistance
        or DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance or DistanceFunction.NegativeDotProductSimilarity;
}

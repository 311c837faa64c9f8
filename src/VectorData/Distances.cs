using Microsoft.Extensions.VectorData;

namespace Vectord.VectorData;

/// <summary>
/// MEVD distance functions and the index distances they map to, and how a distance the index reports becomes the
/// score MEVD promises:
/// <list type="table">
/// <item><term><see cref="DistanceFunction.CosineSimilarity"/> (the default)</term><description><c>cosine</c>; score 1 − distance (higher is closer)</description></item>
/// <item><term><see cref="DistanceFunction.EuclideanDistance"/></term><description><c>euclidean</c>; score = the L2 distance (lower is closer)</description></item>
/// <item><term><see cref="DistanceFunction.DotProductSimilarity"/></term><description><c>dot</c>, which reports −(q·v); score q·v (higher is closer)</description></item>
/// </list>
/// </summary>
internal static class Distances
{
    /// <summary>The index distance of a vector property's distance function (null: cosine similarity).</summary>
    /// <exception cref="NotSupportedException">Any other function, named.</exception>
    public static IndexDistance ToIndex(string? distanceFunction) => distanceFunction switch
    {
        null or DistanceFunction.CosineSimilarity => IndexDistance.Cosine,
        DistanceFunction.EuclideanDistance => IndexDistance.Euclidean,
        DistanceFunction.DotProductSimilarity => IndexDistance.Dot,
        _ => throw new NotSupportedException(
            $"distance function '{distanceFunction}' is not supported by Vectord (use {DistanceFunction.CosineSimilarity}, " +
            $"{DistanceFunction.EuclideanDistance} or {DistanceFunction.DotProductSimilarity})"),
    };

    /// <summary>The MEVD score of a distance reported by an index of <paramref name="distance"/>.</summary>
    public static double ToScore(IndexDistance distance, float reported) => distance switch
    {
        IndexDistance.Euclidean => reported,
        IndexDistance.Dot => -(double)reported,
        _ => 1 - (double)reported,
    };

    /// <summary>Whether a score passes <paramref name="threshold"/>: at least it for similarities, at most it for
    /// the euclidean distance.</summary>
    public static bool Passes(IndexDistance distance, double score, double? threshold) =>
        threshold is not { } limit || (distance == IndexDistance.Euclidean ? score <= limit : score >= limit);
}

namespace Vectord.Hnsw;

/// <summary>Distance functions supported by the engine.</summary>
public enum DistanceKind
{
    /// <summary>1 − cos(q, v); vectors are normalised on insert.</summary>
    Cosine,
    /// <summary>The L2 (Euclidean) distance.</summary>
    Euclidean,
    /// <summary>−(q·v).</summary>
    Dot,
}

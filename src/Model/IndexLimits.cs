namespace Vectord;

/// <summary>
/// The bounds of an index's parameters and of what one read returns, the one place they are written: the grains
/// enforce them (on HTTP and grain calls alike), and the gateway, the clients and the CLI check or describe them from
/// here. The sizes one write may carry are <see cref="ItemLimits"/>.
/// </summary>
public static class IndexLimits
{
    /// <summary>Longest vector; with named vectors, most components of one of each together.</summary>
    public const int MaxDimension = 65_536;

    /// <summary>Most named vectors of an index.</summary>
    public const int MaxNamedVectors = 16;

    /// <summary>Fewest links per node an index may ask for (0 means the default).</summary>
    public const int MinM = 2;

    /// <summary>Most links per node an index may ask for.</summary>
    public const int MaxM = 128;

    /// <summary>Widest search beam, the index's <c>ef_search</c> and a query's <c>ef</c> alike.</summary>
    public const int MaxEf = 10_000;

    /// <summary>Most parts (shards) an index may be spread over.</summary>
    public const int MaxShards = 64;

    /// <summary>Most copies of each part of an index (see <see cref="IndexSpec.Replicas"/>).</summary>
    public const int MaxReplicas = 8;

    /// <summary>Most results of one search (a larger k is capped).</summary>
    public const int MaxK = 1000;

    /// <summary>Results of a search that does not say how many.</summary>
    public const int DefaultK = 10;

    /// <summary>Largest page of a listing or a query of items.</summary>
    public const int MaxPage = 1000;

    /// <summary>Furthest an ordered query of items reaches (offset + limit): each part orders its matches and sends
    /// that many, which the index merges.</summary>
    public const int MaxOrderedWindow = 10_000;

    /// <summary>Most keys an ordered query of items may name.</summary>
    public const int MaxOrderKeys = 8;

    /// <summary>Most text fields an index may have (see <see cref="IndexSpec.TextFields"/>).</summary>
    public const int MaxTextFields = 32;

    /// <summary>Longest text of a keyword query or of a <c>match.text</c> filter, in UTF-16 code units.</summary>
    public const int MaxText = 4096;

    /// <summary>Candidates each half of a hybrid search contributes to the fusion, at least (k when it is larger): the
    /// nearest items and the best keyword matches, so that an item ranked well by one half and modestly by the other
    /// is among both lists.</summary>
    public const int HybridCandidates = 100;
}

namespace Vectord.VectorData.Conformance.Tests.Support;

/// <summary>How the connector reaches the node.</summary>
public enum Transport
{
    /// <summary>The HTTP API on loopback, with the node's bearer token.</summary>
    Http,

    /// <summary>Direct grain calls through the silo's grain factory (co-hosted).</summary>
    Grains,
}

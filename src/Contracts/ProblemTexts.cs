namespace Vectord.Contracts;

/// <summary>The <c>detail</c> texts of the ProblemDetails answers a client tells apart by their words: the gateway
/// writes them from here and the client recognises them from here.</summary>
public static class ProblemTexts
{
    /// <summary>The index exists but has no item <paramref name="id"/> (404 of <c>GET</c> or <c>DELETE
    /// /vectors/index/{name}/items/{id}</c>; a missing index answers 404 with other words).</summary>
    public static string ItemNotFound(string id) => $"item \"{id}\" not found";
}

namespace Vectord.Gateway.Infrastructure;

/// <summary>
/// What the API's routes document beyond their success: the problems (<c>application/problem+json</c>) a route, or
/// every route of a group, may answer, and the body a route takes. A group states the problems all its routes share
/// (such as 400 and 404 for a bad or unknown index name), so each route states only its own.
/// </summary>
internal static class RouteConventions
{
    /// <summary>Documents a problem answer for each of <paramref name="statusCodes"/>.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params ReadOnlySpan<int> statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (int statusCode in statusCodes)
        {
            builder.ProducesProblem(statusCode);
        }
        return builder;
    }

    /// <summary>Documents a body of <typeparamref name="TBody"/> in <paramref name="contentType"/> (JSON unless
    /// said), and the 413 of one larger than the route's limit.</summary>
    public static RouteHandlerBuilder AcceptsBody<TBody>(this RouteHandlerBuilder builder, string contentType = "application/json")
        where TBody : notnull =>
        builder.Accepts<TBody>(contentType).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
}

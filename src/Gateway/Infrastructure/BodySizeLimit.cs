using Microsoft.AspNetCore.Http.Metadata;

namespace Vectord.Gateway.Infrastructure;

/// <summary>A route's own request-body limit, smaller than the node-wide one; routing applies it before the
/// handler reads the body, and a larger body is answered 413.</summary>
internal sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

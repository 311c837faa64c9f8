using Microsoft.Extensions.Logging;

namespace Vectord.Grains;

/// <summary>Log messages of the index grain.</summary>
internal static partial class GrainLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Index {Name} dropped, but some of its data could not be deleted yet: {Reason}")]
    public static partial void Leftovers(ILogger logger, string name, string reason);
}

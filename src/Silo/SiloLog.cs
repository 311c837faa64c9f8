namespace Vectord.Silo;

/// <summary>The silo host's log messages.</summary>
internal static partial class SiloLog
{
    [LoggerMessage(1, LogLevel.Information, "Vectord silo {Silo} ready: HTTP on {Urls}, cluster {Cluster} ({Provider}), storage {Storage}")]
    public static partial void Ready(ILogger logger, string silo, string urls, string cluster, string provider, string storage);
}

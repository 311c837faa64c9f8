namespace Vectord.Grains.Hosting;

/// <summary>The <c>Replication</c> configuration section: how the copies of replicated indexes are used.</summary>
public sealed class ReplicationOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Replication";

    /// <summary>How long a read waits for one copy of a part before it is also sent to the next copy.</summary>
    public TimeSpan HedgeAfter { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a read goes on trying the copies of a part (while silos are replaced) before it fails with 503;
    /// at most 25 s, under the response timeout of grain calls.</summary>
    public TimeSpan ReadLimit { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a primary holds a write's answer for a replica to acknowledge the write before it; a replica
    /// slower than that is left to catch up on its own.</summary>
    public TimeSpan FollowerWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether the values make sense.</summary>
    internal bool IsValid =>
        HedgeAfter > TimeSpan.Zero && ReadLimit > HedgeAfter && ReadLimit <= FilterOptions.MaxLimit
        && FollowerWait > TimeSpan.Zero && FollowerWait <= TimeSpan.FromMinutes(1);
}

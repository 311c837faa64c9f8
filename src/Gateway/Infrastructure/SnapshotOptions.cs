using Microsoft.Extensions.Options;

namespace Vectord.Gateway.Infrastructure;

/// <summary>Snapshot settings of the HTTP API (configuration section <c>Snapshots</c>); validated at start.</summary>
public sealed class SnapshotOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Snapshots";

    /// <summary>Largest snapshot file a restore accepts, in bytes (413 beyond it): 16 GiB unless set.</summary>
    public long MaxUploadBytes { get; set; } = 16L << 30;
}

/// <summary>Refuses a <see cref="SnapshotOptions.MaxUploadBytes"/> too small to hold any snapshot.</summary>
internal sealed class SnapshotOptionsValidator : IValidateOptions<SnapshotOptions>
{
    /// <summary>Smallest accepted limit: 1 MiB.</summary>
    public const long MinUploadBytes = 1L << 20;

    public ValidateOptionsResult Validate(string? name, SnapshotOptions options) =>
        options.MaxUploadBytes >= MinUploadBytes
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{SnapshotOptions.SectionName}:{nameof(SnapshotOptions.MaxUploadBytes)} must be at least {MinUploadBytes} (1 MiB)");
}

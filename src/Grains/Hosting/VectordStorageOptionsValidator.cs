using Microsoft.Extensions.Options;

namespace Vectord.Grains.Hosting;

/// <summary>Refuses a <c>Storage</c> section that cannot work, so the host stops at start-up with a message naming
/// the key instead of failing on the first request.</summary>
internal sealed class VectordStorageOptionsValidator : IValidateOptions<VectordStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, VectordStorageOptions options)
    {
        var failures = new List<string>();
        var provider = options.Provider?.ToUpperInvariant();
        if (provider is not ("FILE" or "AZUREBLOB")) { failures.Add($"Storage:Provider must be 'file' or 'azureblob', not '{options.Provider}'"); }
        if (provider == "FILE" && string.IsNullOrWhiteSpace(options.Path)) { failures.Add("Storage:Path must be set for the file provider"); }
        if (provider == "AZUREBLOB" && string.IsNullOrWhiteSpace(options.ConnectionString)) { failures.Add("Storage:ConnectionString is required for the azureblob provider"); }
        if (provider == "AZUREBLOB" && string.IsNullOrWhiteSpace(options.Container)) { failures.Add("Storage:Container must be set for the azureblob provider"); }
        // Orleans collects idle activations once a minute, and refuses a collection age that is not above that.
        if (!(options.IdleMinutes > 1) || double.IsInfinity(options.IdleMinutes)) { failures.Add($"Storage:IdleMinutes must be more than 1 (minutes), not {options.IdleMinutes}"); }
        if (!(options.SnapshotLogRatio > 0) || double.IsInfinity(options.SnapshotLogRatio)) { failures.Add($"Storage:SnapshotLogRatio must be a positive number, not {options.SnapshotLogRatio}"); }
        if (options.SnapshotMinLogBytes < 0) { failures.Add($"Storage:SnapshotMinLogBytes must not be negative, not {options.SnapshotMinLogBytes}"); }
        if (options.MaxPartVectorBytes is < 4096 or > Storage.Parts.PartCapacity.EngineMaxVectorBytes)
        {
            failures.Add($"Storage:MaxPartVectorBytes must be between 4096 and {Storage.Parts.PartCapacity.EngineMaxVectorBytes}, not {options.MaxPartVectorBytes}");
        }
        if (string.IsNullOrWhiteSpace(options.CachePath) && string.IsNullOrWhiteSpace(options.Path)) { failures.Add("Storage:CachePath (or Storage:Path, under which it defaults) must be set"); }
        if (!(options.CatalogRefreshSeconds > 0) || double.IsInfinity(options.CatalogRefreshSeconds))
        {
            failures.Add($"Storage:CatalogRefreshSeconds must be a positive number, not {options.CatalogRefreshSeconds}");
        }
        if (options.PreloadParallelism < 1) { failures.Add($"Storage:PreloadParallelism must be at least 1, not {options.PreloadParallelism}"); }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

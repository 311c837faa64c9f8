using System.Diagnostics;

using Vectord.Testing;

namespace Vectord.Cluster.Tests;

/// <summary>docker-compose.yml is validated by docker-compose itself (no engine runs here to start it).</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task Compose_file_is_valid_and_names_the_cluster_services()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = RepositoryPaths.Root;
        var psi = new ProcessStartInfo("docker-compose", ["-f", Path.Combine(root, "docker-compose.yml"), "config", "--services"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(psi)!;
        var stdout = await process.StandardOutput.ReadToEndAsync(ct);
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);

        Assert.True(process.ExitCode == 0, $"docker-compose config failed: {stderr}");
        var services = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["azurite", "gateway", "redis", "silo"], services.Order().ToArray());
    }
}

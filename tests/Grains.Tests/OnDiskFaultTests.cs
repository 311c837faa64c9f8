using System.Diagnostics;
using Vectord.Testing;

namespace Vectord.Grains.Tests;

/// <summary>
/// The vector files of <c>on_disk</c> indexes on a disk that fills up, and cut short under a live silo: a full disk is
/// a 507 before the write is logged, a file cut short the same 503 and reload from storage as a damaged one, and
/// neither ever takes the process down.
/// </summary>
public sealed class OnDiskFaultTests
{
    private static Dictionary<string, string> Storage(TempDirectory directory, string cache) => new()
    {
        ["Storage:Provider"] = "file",
        ["Storage:Path"] = directory.Combine("data"),
        ["Storage:CachePath"] = cache,
        ["Storage:SnapshotOnDeactivate"] = "true",
    };

    private static string VectorFile(string cache) =>
        Assert.Single(Directory.GetFiles(cache, "*.vectors", SearchOption.AllDirectories));

    [Fact]
    public async Task A_vector_file_cut_short_under_a_live_silo_is_a_503_and_a_reload_for_searches_gets_and_writes()
    {
        const int Dim = 32;
        using var directory = new TempDirectory("vectord-ondisk");
        var cache = directory.Combine("cache");
        var name = TestData.Name("cut");
        var items = TestData.Items(600, Dim, seed: 21);
        var query = TestData.Vectors(1, Dim, seed: 22)[0];
        var cluster = await VectordCluster.StartAsync(Storage(directory, cache), silos: 1);
        try
        {
            var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
            await grain.CreateAsync(new IndexSpec(Dim, Distance: IndexDistance.Euclidean, OnDisk: true));
            await grain.AddAsync(items[..500]);
            var expected = await grain.SearchAsync(query, k: 10);

            var calls = new Func<Task>[]
            {
                () => grain.SearchAsync(query, k: 10),
                () => grain.GetItemAsync(items[7].Id),
                () => grain.AddAsync(items[500..]),
            };
            foreach (var call in calls)
            {
                using (var file = new FileStream(VectorFile(cache), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                    file.SetLength(0);   // as `truncate -s 0` does
                }
                var refused = await Assert.ThrowsAsync<StorageUnavailableException>(call);
                Assert.Contains("vector file", refused.Message, StringComparison.Ordinal);
                Assert.Equal(expected.Select(h => h.Id), (await grain.SearchAsync(query, k: 10)).Select(h => h.Id));   // loaded again
            }
            await grain.AddAsync(items[500..]);   // the refused write changed nothing; now it goes in
            Assert.Equal(items.Length, (await grain.GetInfoAsync()).Length);
            Assert.Equal(items[550].Vector, (await grain.GetItemAsync(items[550].Id))!.Vector);
        }
        finally
        {
            await VectordCluster.StopAsync(cluster);
        }
    }

    [Fact]
    public async Task A_full_disk_under_the_vector_files_is_a_507_before_the_write_is_logged_and_every_acknowledged_item_stays()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test mounts a 1 MiB tmpfs for the vector files and must run as root");
        const int Dim = 256;   // 1 KiB a vector: the 1 MiB disk takes under 1,024
        using var directory = new TempDirectory("vectord-ondisk");
        var cache = directory.Combine("small-disk");
        Directory.CreateDirectory(cache);
        Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", cache);
        try
        {
            var name = TestData.Name("full");
            var acknowledged = 0;
            var cluster = await VectordCluster.StartAsync(Storage(directory, cache), silos: 1);
            try
            {
                var grain = cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name);
                await grain.CreateAsync(new IndexSpec(Dim, Distance: IndexDistance.Euclidean, OnDisk: true));
                IndexFullException? full = null;
                for (var b = 0; b < 20 && full is null; b++)
                {
                    var batch = TestData.Items(100, Dim, seed: b, prefix: $"b{b}-");
                    try
                    {
                        await grain.AddAsync(batch);
                        acknowledged += batch.Length;
                    }
                    catch (IndexFullException e)
                    {
                        full = e;
                    }
                }
                Assert.NotNull(full);
                Assert.Contains("disk has not the room", full.Message, StringComparison.Ordinal);
                Assert.InRange(acknowledged, 100, 1000);
                Assert.Equal(acknowledged, (await grain.GetInfoAsync()).Length);
                var last = TestData.Items(100, Dim, seed: (acknowledged / 100) - 1, prefix: $"b{(acknowledged / 100) - 1}-")[99];
                Assert.Equal(last.Vector, (await grain.GetItemAsync(last.Id))!.Vector);
            }
            finally
            {
                await VectordCluster.StopAsync(cluster);
            }

            // Nothing of the refused batch was logged: a restart (on a disk with room) serves exactly the acknowledged items.
            var storage = Storage(directory, directory.Combine("roomy"));
            cluster = await VectordCluster.StartAsync(storage, silos: 1);
            try
            {
                Assert.Equal(acknowledged, (await cluster.GrainFactory.GetGrain<IVectorIndexGrain>(name).GetInfoAsync()).Length);
            }
            finally
            {
                await VectordCluster.StopAsync(cluster);
            }
        }
        finally
        {
            // Lazily: a vector file the stopped silos mapped stays busy until its mapping is collected.
            Run("umount", "-l", cache);
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed: {error}");
    }
}

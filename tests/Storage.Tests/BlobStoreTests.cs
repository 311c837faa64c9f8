using Vectord.Testing;

namespace Vectord.Storage.Tests;

/// <summary>The two <see cref="IIndexBlobStore"/> backends on real storage: create-if-absent, versioned documents,
/// listing and the key rules that keep every write inside the store.</summary>
[Collection(AzuriteStorage.Name)]
public sealed class BlobStoreTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempDirectory _directory = new("vectord-store");

    public void Dispose() => _directory.Dispose();

    private IIndexBlobStore Store(string provider) => provider == "file"
        ? new FileIndexBlobStore(_directory.Path)
        : new AzureBlobIndexStore(azurite.Azurite.ConnectionString, $"store-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("file")]
    [InlineData("azureblob")]
    public async Task Create_if_absent_never_overwrites(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Store(provider);
        Assert.True(await store.TryCreateAsync("indexes/a/g/wal/000000000001", new byte[] { 1, 2, 3 }, ct));
        Assert.False(await store.TryCreateAsync("indexes/a/g/wal/000000000001", new byte[] { 9 }, ct));
        Assert.Null(await store.TryCreateAsync("indexes/a/g/wal/000000000001", s => s.WriteByte(9), ct));
        Assert.Equal(5, await store.TryCreateAsync("indexes/a/g/snap/000000000001", s => s.Write([5, 4, 3, 2, 1]), ct));
        await using (var read = await store.OpenReadAsync("indexes/a/g/wal/000000000001", ct))
        {
            using var copy = new MemoryStream();
            await read!.CopyToAsync(copy, ct);
            Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
        }
        Assert.Null(await store.OpenReadAsync("indexes/a/g/wal/000000000002", ct));
        Assert.Equal(["indexes/a/g/snap/000000000001", "indexes/a/g/wal/000000000001"], (await store.ListAsync("indexes/a/", ct)).Select(o => o.Key));
        Assert.Equal(3, (await store.ListAsync("indexes/a/g/wal/", ct)).Single().Length);
        Assert.Empty(await store.ListAsync("indexes/ab/", ct));
        await store.DeletePrefixAsync("indexes/a/", ct);
        Assert.Empty(await store.ListAsync("indexes/a/", ct));
    }

    [Fact]
    public async Task Temporary_files_of_writes_killed_long_ago_are_removed_when_the_store_opens()
    {
        var wal = Path.Combine(_directory.Path, "indexes", "tmp", "g", "wal");
        Directory.CreateDirectory(wal);
        var abandoned = Path.Combine(wal, ".000000000003.0123456789abcdef0123456789abcdef.tmp");
        var recent = Path.Combine(wal, ".000000000004.fedcba9876543210fedcba9876543210.tmp");
        await File.WriteAllTextAsync(abandoned, "half a record", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(recent, "a write in progress", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - FileIndexBlobStore.AbandonedAfter - TimeSpan.FromMinutes(1));

        var store = new FileIndexBlobStore(_directory.Path);
        Assert.Equal(1, await store.Swept);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public async Task Of_many_concurrent_creates_of_one_file_key_exactly_one_wins()
    {
        var store = Store("file");
        for (var trial = 0; trial < 300; trial++)
        {
            var key = $"indexes/race/g/wal/{trial:D12}";
            var writers = Enumerable.Range(0, 6).Select(w => Task.Run(() => store.TryCreateAsync(key, new byte[] { (byte)w, 1, 2 }), TestContext.Current.CancellationToken)).ToArray();
            var won = await Task.WhenAll(writers);
            Assert.Equal(1, won.Count(w => w));
            await using var read = await store.OpenReadAsync(key, TestContext.Current.CancellationToken);
            Assert.Equal(Array.IndexOf(won, true), read!.ReadByte());   // the content is the winner's
        }
        // No temporary file is left behind by the losers.
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "indexes", "race", "g", "wal"), ".*"));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("indexes/../../outside")]
    [InlineData("indexes/./x")]
    [InlineData("/etc/passwd")]
    [InlineData("indexes//x")]
    [InlineData("indexes/a b")]
    [InlineData("indexes/.hidden")]
    public async Task File_keys_cannot_leave_the_root(string key)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new FileIndexBlobStore(_directory.Combine("root"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryCreateAsync(key, new byte[] { 1 }, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteDocumentAsync(key, new byte[] { 1 }, null, ct));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_directory.Path, "*", SearchOption.AllDirectories), p => !p.StartsWith(_directory.Combine("root"), StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_are_built_from_valid_names_only()
    {
        Assert.Equal("indexes/my.index_1-x/", StorageKeys.IndexPrefix("my.index_1-x"));
        Assert.Throws<ArgumentException>(() => StorageKeys.IndexPrefix(".."));
        Assert.Throws<ArgumentException>(() => StorageKeys.WalPrefix("ok", "../g"));
        // Grain keys that are not valid names are hashed into one safe segment.
        var key = StorageKeys.GrainState("vectorindex", "../../x", "manifest");
        Assert.StartsWith("grains/vectorindex/~", key, StringComparison.Ordinal);
        Assert.Equal(3, key.Count(c => c == '/'));
    }
}

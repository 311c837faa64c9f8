using System.Text.Json;
using Vectord.Storage;
using Vectord.Storage.Snapshots;

namespace Vectord.Grains.Snapshots;

/// <summary>
/// Where snapshots are kept: under <see cref="StorageKeys.SnapshotsOf"/> of their index, each as its file
/// (<c>{snapshot}</c>, see <see cref="SnapshotFile"/>) and a small description beside it (<c>{snapshot}.json</c>:
/// created, size, sha256, length), written after the file: a snapshot exists once its description does, so a write
/// cut short leaves nothing listed. Parts of a sharded index are first saved by their shards beside it
/// (<c>{snapshot}.pNN</c>), then copied into the file in order and deleted. What a node that died mid-write, or a
/// storage failure during clean-up, left behind (a file or staged part without a description) is deleted by the next
/// snapshot of the same index once it is <see cref="OrphanAge"/> old by the time in its name.
/// </summary>
internal sealed partial class SnapshotStore(IIndexBlobStore store)
{
    /// <summary>How old an undescribed snapshot file must be to be taken for the leftover of a write that ended
    /// without finishing: far longer than writing the largest snapshot takes.</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromHours(6);

    private const string Described = ".json";

    /// <summary>The key under which shard <paramref name="part"/> of the snapshot saves its image first.</summary>
    public static string StagedPart(string index, string snapshot, int part) =>
        $"{FileKey(index, snapshot)}.p{part.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The snapshots of <paramref name="index"/>, newest first.</summary>
    public async Task<SnapshotInfo[]> ListAsync(string index)
    {
        IndexNames.ThrowIfInvalid(index);
        var prefix = StorageKeys.SnapshotsOf(index);
        var infos = new List<SnapshotInfo>();
        foreach (var entry in await store.ListAsync(prefix))
        {
            if (!entry.Key.EndsWith(Described, StringComparison.Ordinal)) { continue; }
            var snapshot = entry.Key[prefix.Length..^Described.Length];
            if (SnapshotNames.IsValid(index, snapshot) && await TryDescribeAsync(index, snapshot) is { } info) { infos.Add(info); }
        }
        return [.. infos.OrderByDescending(i => i.Created).ThenByDescending(i => i.Name, StringComparer.Ordinal)];
    }

    /// <summary>One snapshot's description.</summary>
    /// <exception cref="SnapshotNotFoundException">There is none of that name.</exception>
    public async Task<SnapshotInfo> GetAsync(string index, string snapshot)
    {
        SnapshotNames.ThrowIfInvalid(index, snapshot);
        return await TryDescribeAsync(index, snapshot) ?? throw NotFound(index, snapshot);
    }

    /// <summary>Up to <paramref name="count"/> bytes of the file from <paramref name="offset"/>.</summary>
    public async Task<byte[]> ReadAsync(string index, string snapshot, long offset, int count)
    {
        SnapshotNames.ThrowIfInvalid(index, snapshot);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var stream = await store.OpenReadAsync(FileKey(index, snapshot)) ?? throw NotFound(index, snapshot);
        await using (stream)
        {
            if (offset >= stream.Length) { return []; }
            stream.Seek(offset, SeekOrigin.Begin);
            var buffer = new byte[(int)Math.Min(count, stream.Length - offset)];
            await stream.ReadExactlyAsync(buffer);
            return buffer;
        }
    }

    /// <summary>Deletes a snapshot: its description first, so that it is never listed without its file.</summary>
    /// <exception cref="SnapshotNotFoundException">There is none of that name.</exception>
    public async Task DeleteAsync(string index, string snapshot)
    {
        _ = await GetAsync(index, snapshot);
        await store.DeleteAsync(FileKey(index, snapshot) + Described);
        await store.DeleteAsync(FileKey(index, snapshot));
    }

    /// <summary>
    /// Writes the snapshot <paramref name="snapshot"/> of <paramref name="index"/> from its frozen parts, in order,
    /// then its description. Whatever the outcome, the parts' staged copies are deleted; on failure so is the file.
    /// </summary>
    public async Task<SnapshotInfo> WriteAsync(string index, string snapshot, IndexSpec spec, DateTimeOffset created, FrozenPart[] parts)
    {
        await SweepAsync(index, created);
        var key = FileKey(index, snapshot);
        var inputs = new List<Stream>();
        try
        {
            var writers = new Action<Stream>[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].Image is { } image)
                {
                    writers[i] = image.Save;
                    continue;
                }
                await parts[i].Saved!;
                var input = await store.OpenReadAsync(parts[i].Staged!) ?? throw new StorageUnavailableException($"part {i} of snapshot {snapshot} was not saved");
                inputs.Add(input);
                writers[i] = output => input.CopyTo(output, 1 << 20);
            }
            var header = SnapshotHeader.Of(index, spec, created, [.. parts.Select(p => p.Length)], Shards.ShardRouting.Scheme);
            var sha256 = "";
            var size = await store.TryCreateAsync(key, output => sha256 = SnapshotFile.Write(output, header, writers).Sha256)
                ?? throw new StorageUnavailableException($"snapshot {snapshot} exists already");
            var info = new SnapshotInfo(snapshot, DateTimeOffset.Parse(header.Created, System.Globalization.CultureInfo.InvariantCulture), size, sha256, header.Length);
            await store.TryCreateAsync(key + Described, JsonSerializer.SerializeToUtf8Bytes(info, SnapshotJsonContext.Default.SnapshotInfo));
            return info;
        }
        catch (Exception)
        {
            await DeleteQuietlyAsync(key);
            throw;
        }
        finally
        {
            foreach (var input in inputs) { await input.DisposeAsync(); }
            foreach (var part in parts)
            {
                if (part.Staged is { } staged)
                {
                    await AwaitQuietlyAsync(part.Saved);
                    await DeleteQuietlyAsync(staged);
                }
            }
        }
    }

    private static string FileKey(string index, string snapshot) => StorageKeys.SnapshotsOf(index) + snapshot;

    /// <summary>Deletes the files and staged parts of <paramref name="index"/>'s snapshots that have no description
    /// and were started more than <see cref="OrphanAge"/> before <paramref name="now"/>.</summary>
    private async Task SweepAsync(string index, DateTimeOffset now)
    {
        var prefix = StorageKeys.SnapshotsOf(index);
        var entries = await store.ListAsync(prefix);
        var described = entries.Select(e => e.Key[prefix.Length..]).Where(k => k.EndsWith(Described, StringComparison.Ordinal))
            .Select(k => k[..^Described.Length]).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var name = entry.Key[prefix.Length..];
            var snapshot = StagedSuffix().Replace(name, "");
            if (!described.Contains(snapshot) && SnapshotNames.TryGetCreated(index, snapshot, out var started) && now - started > OrphanAge)
            {
                await DeleteQuietlyAsync(entry.Key);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\.p[0-9]{2}$")]
    private static partial System.Text.RegularExpressions.Regex StagedSuffix();

    private async Task<SnapshotInfo?> TryDescribeAsync(string index, string snapshot)
    {
        var stream = await store.OpenReadAsync(FileKey(index, snapshot) + Described);
        if (stream is null) { return null; }
        await using (stream)
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(stream, SnapshotJsonContext.Default.SnapshotInfo);
            }
            catch (JsonException)
            {
                return null;   // not written by this store: not a snapshot
            }
        }
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            await store.DeleteAsync(key);
        }
        catch (StorageUnavailableException)
        {
            // left behind; never listed, since its description is missing
        }
    }

    private static async Task AwaitQuietlyAsync(Task? task)
    {
        if (task is null) { return; }
        try
        {
            await task;
        }
        catch (Exception)
        {
            // the failure was reported by the write that awaited it first
        }
    }

    private static SnapshotNotFoundException NotFound(string index, string snapshot) =>
        new($"snapshot '{snapshot}' of index '{index}' not found");
}

/// <summary>One part of an index frozen for a snapshot: held in this silo as an image, or being saved by its shard
/// grain under <paramref name="Staged"/> until <paramref name="Saved"/> completes.</summary>
/// <param name="Length">Items in the part.</param>
/// <param name="Image">The frozen part, when this silo holds it.</param>
/// <param name="Staged">Where the shard saves it, otherwise.</param>
/// <param name="Saved">Completes when the shard has saved it.</param>
internal sealed record FrozenPart(int Length, Hnsw.HnswImage? Image, string? Staged, Task? Saved);

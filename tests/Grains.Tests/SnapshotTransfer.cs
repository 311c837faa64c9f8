using System.Security.Cryptography;

namespace Vectord.Grains.Tests;

/// <summary>Moves snapshot files through the grain API as the gateway does: a chunk per call.</summary>
internal static class SnapshotTransfer
{
    /// <summary>The whole file of a stored snapshot.</summary>
    public static async Task<byte[]> DownloadAsync(IGrainFactory grains, string index, string snapshot, int chunk = 1 << 16)
    {
        var store = grains.GetGrain<ISnapshotStoreGrain>(0);
        using var file = new MemoryStream();
        while (true)
        {
            var bytes = await store.ReadAsync(index, snapshot, file.Length, chunk);
            if (bytes.Length == 0) { return file.ToArray(); }
            file.Write(bytes);
        }
    }

    /// <summary>Uploads <paramref name="file"/> and restores it as <paramref name="target"/>.</summary>
    public static async Task<IndexInfo> RestoreAsync(IGrainFactory grains, byte[] file, string target, int shards = 0, string? sha256 = null, int chunk = 1 << 16)
    {
        var upload = grains.GetGrain<ISnapshotUploadGrain>(Guid.NewGuid());
        for (var at = 0; at < file.Length; at += chunk) { await upload.WriteAsync(file[at..Math.Min(at + chunk, file.Length)]); }
        return await upload.RestoreAsync(target, shards, sha256);
    }

    /// <summary>SHA-256 of the bytes, lower-case hex.</summary>
    public static string Sha256(byte[] file) => Convert.ToHexStringLower(SHA256.HashData(file));
}

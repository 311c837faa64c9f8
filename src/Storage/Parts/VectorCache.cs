using Microsoft.Extensions.Logging;
using Vectord.Storage.Log;

namespace Vectord.Storage.Parts;

/// <summary>
/// The node's vector files (the storage options' vector cache directory): the parts of <c>on_disk</c> indexes keep
/// their float vectors there, mapped into memory, instead of on the managed heap (see
/// <see cref="Hnsw.HnswIndex.VectorFile"/>).
/// </summary>
/// <remarks>
/// A vector file is a cache, never the part's durable state: every activation writes a new one while it loads the part
/// from storage (its snapshot holds the vectors, the log the later writes), on whichever node it runs and whatever the
/// storage provider. A file an earlier activation left behind (after a crash, or lost or damaged since) is never
/// read: it is deleted, and logged, when the part is next loaded here. A file is named by the part's storage root and
/// a fresh name per activation, so a new activation never truncates a file an old one may still map; deleting a
/// mapped file is safe (the mapping keeps its pages until it is dropped).
/// </remarks>
/// <param name="root">The cache directory.</param>
/// <param name="logger">Where files left behind are logged.</param>
public sealed partial class VectorCache(string root, ILogger<VectorCache> logger)
{
    private const string Extension = ".vectors";

    /// <summary>The cache directory.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>A new vector file for <paramref name="part"/> when its index keeps vectors on disk (null: on the heap),
    /// after deleting the files earlier activations of the part on this node left.</summary>
    internal string? NewFile(PartLocation part, bool onDisk)
    {
        if (!onDisk) { return null; }
        var directory = Path.Combine(Root, part.Root);
        Directory.CreateDirectory(directory);
        var stale = Directory.GetFiles(directory, "*" + Extension);
        foreach (var file in stale) { File.Delete(file); }
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + Extension);
        if (stale.Length > 0) { LogReplaced(part, stale.Length, path); }
        else { LogWriting(part, path); }
        return path;
    }

    /// <summary>Deletes a part's vector file once the part is let go, and the directories it leaves empty.</summary>
    internal void Delete(string? file)
    {
        if (file is null) { return; }
        try
        {
            File.Delete(file);
            for (var directory = Path.GetDirectoryName(file); directory is not null && directory.Length > Root.Length; directory = Path.GetDirectoryName(directory))
            {
                if (Directory.EnumerateFileSystemEntries(directory).Any()) { break; }
                Directory.Delete(directory);
            }
        }
        catch (IOException e)
        {
            LogNotDeleted(file, e.Message);   // the next load of the part here deletes it
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Part}: vectors written from storage into {File}")]
    private partial void LogWriting(PartLocation part, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Part}: {Count} vector file(s) left by an earlier activation (a crash, or lost or damaged since) deleted unread; vectors written again from storage into {File}")]
    private partial void LogReplaced(PartLocation part, int count, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "vector file {File} could not be deleted: {Reason}")]
    private partial void LogNotDeleted(string file, string reason);
}

using System.Runtime.InteropServices;

namespace Vectord.Storage;

/// <summary>
/// The two file-system guarantees the file store needs and .NET does not give on Unix: a move into place that fails
/// when the target exists (<c>File.Move(overwrite: false)</c> checks first and then renames, so two writers can both
/// win), and the durability of a directory entry (a rename is only on disk once its directory is flushed).
/// </summary>
internal static partial class PosixFiles
{
    private const int EEXIST = 17;
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;   // Linux

    /// <summary>Moves <paramref name="source"/> to <paramref name="target"/> unless the target exists; atomic: of
    /// several callers with one target, exactly one succeeds.</summary>
    /// <returns>False when the target exists (the source is left in place).</returns>
    public static bool TryMoveNoReplace(string source, string target)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                File.Move(source, target, overwrite: false);   // MoveFileEx without replace: atomic on Windows
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }
        // A hard link is created only if the name is free; the temporary name is removed by the caller.
        if (Link(source, target) == 0) { return true; }
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) { return false; }
        throw new IOException($"cannot link '{target}': {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Flushes a directory's entries (created, renamed or removed names) to disk.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) { return; }
        var fd = Open(directory, O_RDONLY | O_DIRECTORY);
        if (fd < 0) { throw new IOException($"cannot open directory '{directory}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}"); }
        try
        {
            if (Fsync(fd) != 0) { throw new IOException($"cannot flush directory '{directory}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}"); }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

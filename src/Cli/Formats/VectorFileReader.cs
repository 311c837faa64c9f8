using System.Globalization;
using System.IO.Compression;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads the rows of one vector file, gzipped or not, front to back. The file is read as a stream, a row at a time,
/// so a file of any size is never whole in memory; <see cref="Fraction"/> tells how much of it has been read.
/// </summary>
internal abstract class VectorFileReader : IDisposable
{
    private readonly FileStream _file;
    private readonly Stream _stream;

    /// <summary>Opens <paramref name="file"/>; a gzip stream (by its magic bytes, whatever the name) is decompressed.</summary>
    protected VectorFileReader(FileStream file)
    {
        _file = file;
        Compressed = IsGzip(file);
        _stream = Compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>What a <see cref="SourceRow.Number"/> counts: <c>line</c> or <c>row</c>.</summary>
    public abstract string RowKind { get; }

    /// <summary>How many rows the file holds, when its header or size tells; null otherwise.</summary>
    public virtual long? RowCount => null;

    /// <summary>Whether the file is gzip-compressed.</summary>
    protected bool Compressed { get; }

    /// <summary>The (decompressed) content.</summary>
    protected Stream Content => _stream;

    /// <summary>The size of the file on disk.</summary>
    protected long FileLength => _file.Length;

    /// <summary>The share of the file read so far, 0 to 1.</summary>
    public double Fraction => _file.Length == 0 ? 1 : Math.Min(1, (double)_file.Position / _file.Length);

    /// <summary>The rows in file order.</summary>
    public abstract IEnumerable<SourceRow> ReadRows();

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _file.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The id of the row numbered <paramref name="row"/> in a format without ids.</summary>
    protected static string RowId(long row) => row.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads exactly <paramref name="buffer"/>'s length; returns how many bytes there were when the
    /// content ends first.</summary>
    protected int ReadFully(Span<byte> buffer) => Content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}

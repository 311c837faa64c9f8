using System.Globalization;
using System.IO.Compression;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads the rows of one vector file, gzipped or not, front to back. The file is read as a stream, a row at a time,
/// so a file of any size is never whole in memory; <see cref="Fraction"/> tells how much of it has been read. A
/// gzip file is read through and checked once first (<see cref="GzipCheck"/>), so that its length is known and a
/// damaged or truncated one is refused before any row. A reader throws <see cref="InvalidDataException"/> for a file
/// that ends early or is damaged beyond one row, and yields a bad row for a row it cannot read.
/// </summary>
internal abstract class VectorFileReader : IDisposable
{
    private readonly FileStream _file;
    private readonly Stream _stream;

    /// <summary>Opens <paramref name="file"/>; a gzip stream (by its magic bytes, whatever the name) is decompressed.</summary>
    protected VectorFileReader(FileStream file)
    {
        _file = file;
        var compressed = IsGzip(file);
        ContentLength = compressed ? GzipCheck.DecompressedLength(file) : file.Length;
        _stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>What a <see cref="SourceRow.Number"/> counts: <c>line</c> or <c>row</c>.</summary>
    public abstract string RowKind { get; }

    /// <summary>How many rows the file holds, when its header or size tells; null otherwise.</summary>
    public virtual long? RowCount => null;

    /// <summary>The (decompressed) content.</summary>
    protected Stream Content => _stream;

    /// <summary>The length of the (decompressed) content.</summary>
    protected long ContentLength { get; }

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

    /// <summary>Most components a row of a binary format may have, as its header says (the service takes at most
    /// 65,536): a larger header is refused as too large before anything is allocated for it.</summary>
    protected const long MaxComponents = 1 << 20;

    /// <summary>Refuses content too short for the <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes
    /// that its header announces after <paramref name="headerBytes"/> bytes, before any row is read.</summary>
    /// <exception cref="InvalidDataException">The file ends early: the message says how many rows it holds.</exception>
    protected void ThrowIfShort(long headerBytes, long rows, long rowBytes)
    {
        var whole = Math.Max(0, ContentLength - headerBytes) / rowBytes;
        if (whole < rows)
        {
            var part = (ContentLength - headerBytes) % rowBytes;
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"truncated: the header announces {rows} rows of {rowBytes} bytes, the file holds {whole} whole rows{(part > 0 ? $" and {part} bytes of the next" : "")}"));
        }
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

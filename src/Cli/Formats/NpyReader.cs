using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads NumPy <c>.npy</c> files holding a 2-D array of float32 or float64 (either byte order, C order): one row
/// per item, whose id is its row number from 0. The header is the format's: magic <c>\x93NUMPY</c>, version, header
/// length, then a Python dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>.
/// </summary>
internal sealed partial class NpyReader : VectorFileReader
{
    private readonly long _rows;
    private readonly int _columns;
    private readonly int _elementSize;
    private readonly bool _bigEndian;

    /// <summary>Opens <paramref name="file"/> and reads its header.</summary>
    /// <exception cref="InvalidDataException">Not an .npy file, or one of another shape or type.</exception>
    public NpyReader(FileStream file) : base(file)
    {
        var (header, headerBytes) = ReadHeader();
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new InvalidDataException($"unreadable .npy header: {header.Trim()}");
        }
        (_elementSize, _bigEndian) = descr.Groups[1].Value switch
        {
            "<f4" or "|f4" or "=f4" => (4, false),
            ">f4" => (4, true),
            "<f8" or "|f8" or "=f8" => (8, false),
            ">f8" => (8, true),
            var other => throw new InvalidDataException($".npy element type '{other}': only float32 and float64 are read"),
        };
        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException(".npy array in Fortran order: save it in C order (numpy.ascontiguousarray)");
        }
        (_rows, _columns) = Shape(shape.Groups[1].Value, _elementSize);
        ThrowIfShort(headerBytes, _rows, (long)_columns * _elementSize);
    }

    /// <inheritdoc />
    public override string RowKind => "row";

    /// <inheritdoc />
    public override long? RowCount => _rows;

    /// <inheritdoc />
    public override IEnumerable<SourceRow> ReadRows()
    {
        var raw = new byte[_columns * _elementSize];
        for (long row = 0; row < _rows; row++)
        {
            var got = ReadFully(raw);
            if (got < raw.Length)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"truncated: the file ends {got} of {raw.Length} bytes into row {row} ({_rows} rows announced)"));
            }
            yield return SourceRow.Good(row, new IndexItem(RowId(row), Decode(raw)));
        }
    }

    private float[] Decode(byte[] raw)
    {
        var vector = new float[_columns];
        for (var i = 0; i < vector.Length; i++)
        {
            var at = raw.AsSpan(i * _elementSize);
            vector[i] = (_elementSize, _bigEndian) switch
            {
                (4, false) => BinaryPrimitives.ReadSingleLittleEndian(at),
                (4, true) => BinaryPrimitives.ReadSingleBigEndian(at),
                (_, false) => (float)BinaryPrimitives.ReadDoubleLittleEndian(at),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(at),
            };
        }
        return vector;
    }

    /// <summary>The shape's rows and columns.</summary>
    /// <exception cref="InvalidDataException">Not 2-D, a size that is not a number, or too large to read.</exception>
    private static (long Rows, int Columns) Shape(string shape, int elementSize)
    {
        var dims = shape.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 2)
        {
            throw new InvalidDataException($".npy array of shape ({shape}): only 2-D arrays (rows, dimension) are read");
        }
        if (!dims.All(d => d.Length > 0 && d.All(char.IsAsciiDigit)))
        {
            throw new InvalidDataException($".npy shape ({shape}) is not two sizes");
        }
        if (!long.TryParse(dims[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            || !long.TryParse(dims[1], NumberStyles.None, CultureInfo.InvariantCulture, out var columns)
            || columns > MaxComponents
            || (columns > 0 && rows > long.MaxValue / (columns * elementSize)))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $".npy shape ({shape}) is too large (at most {MaxComponents} components per row, {long.MaxValue} bytes in all)"));
        }
        if (columns == 0)
        {
            throw new InvalidDataException($".npy array of shape ({shape}) has no components");
        }
        return (rows, (int)columns);
    }

    /// <summary>The header's text and the bytes it took with the prefix.</summary>
    private (string Text, int Bytes) ReadHeader()
    {
        Span<byte> prefix = stackalloc byte[10];
        if (ReadFully(prefix) < prefix.Length || prefix[0] != 0x93 || !prefix[1..6].SequenceEqual("NUMPY"u8))
        {
            throw new InvalidDataException("not an .npy file (no \\x93NUMPY magic)");
        }
        int length;
        var prefixBytes = prefix.Length;
        if (prefix[6] == 1)
        {
            length = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
        }
        else
        {
            Span<byte> more = stackalloc byte[2];
            if (ReadFully(more) < 2)
            {
                throw new InvalidDataException("truncated .npy header");
            }
            length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian([.. prefix[8..], .. more]), 1 << 20);
            prefixBytes += more.Length;
        }
        var text = new byte[length];
        if (ReadFully(text) < length)
        {
            throw new InvalidDataException("truncated .npy header");
        }
        return (Encoding.Latin1.GetString(text), prefixBytes + length);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}

using System.Buffers.Binary;
using System.Globalization;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), gzipped or not: a big-endian header of two zero bytes, a
/// type byte, the number of dimensions and each dimension's size, then the data in row-major order. The first
/// dimension counts the rows; each row's remaining dimensions (an image's rows × columns) are its vector, whose id
/// is its row number from 0. Unsigned and signed bytes, int16, int32, float32 and float64 are read.
/// </summary>
internal sealed class IdxReader : VectorFileReader
{
    private readonly int _elementSize;
    private readonly byte _type;

    /// <summary>Opens <paramref name="file"/> and reads its header.</summary>
    /// <exception cref="InvalidDataException">Not an IDX file of vectors.</exception>
    public IdxReader(FileStream file) : base(file)
    {
        Span<byte> magic = stackalloc byte[4];
        if (ReadFully(magic) < magic.Length)
        {
            throw new InvalidDataException("truncated IDX header");
        }
        var value = BinaryPrimitives.ReadInt32BigEndian(magic);
        _type = magic[2];
        _elementSize = _type switch
        {
            0x08 or 0x09 => 1,
            0x0B => 2,
            0x0C or 0x0D => 4,
            0x0E => 8,
            _ => 0,
        };
        int dimensions = magic[3];
        if (magic[0] != 0 || magic[1] != 0 || _elementSize == 0 || dimensions == 0)
        {
            throw new InvalidDataException($"not an IDX file (magic 0x{value:x8})");
        }
        if (dimensions == 1)
        {
            throw new InvalidDataException($"a 1-D IDX file (magic 0x{value:x8}) holds labels, not vectors");
        }
        var sizes = new byte[4 * dimensions];
        if (ReadFully(sizes) < sizes.Length)
        {
            throw new InvalidDataException("truncated IDX header");
        }
        var rows = BinaryPrimitives.ReadInt32BigEndian(sizes);
        var shape = string.Join(" × ", Enumerable.Range(0, dimensions).Select(d => BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * d))));
        long dimension = 1;
        for (var d = 1; d < dimensions; d++)
        {
            // Each size is below 2^31 and the product so far at most MaxComponents: no overflow.
            dimension *= Math.Max(0, BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * d)));
            if (dimension > MaxComponents)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"IDX dimensions ({shape}) are too large (at most {MaxComponents} components per row)"));
            }
        }
        if (rows < 0 || dimension == 0)
        {
            throw new InvalidDataException($"impossible IDX dimensions ({shape})");
        }
        RowCount = rows;
        Dimension = (int)dimension;
        ThrowIfShort(4L + sizes.Length, rows, dimension * _elementSize);
    }

    /// <summary>The components of each row.</summary>
    public int Dimension { get; }

    /// <inheritdoc />
    public override string RowKind => "row";

    /// <inheritdoc />
    public override long? RowCount { get; }

    /// <inheritdoc />
    public override IEnumerable<SourceRow> ReadRows()
    {
        var raw = new byte[Dimension * _elementSize];
        for (long row = 0; row < RowCount; row++)
        {
            var got = ReadFully(raw);
            if (got < raw.Length)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"truncated: the file ends {got} of {raw.Length} bytes into row {row} ({RowCount} rows announced)"));
            }
            yield return SourceRow.Good(row, new IndexItem(RowId(row), Decode(raw)));
        }
    }

    private float[] Decode(byte[] raw)
    {
        var vector = new float[Dimension];
        for (var i = 0; i < vector.Length; i++)
        {
            var at = raw.AsSpan(i * _elementSize);
            vector[i] = _type switch
            {
                0x08 => raw[i],
                0x09 => (sbyte)raw[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(at),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(at),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(at),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(at),
            };
        }
        return vector;
    }
}

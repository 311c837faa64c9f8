using System.Buffers.Binary;
using System.Globalization;

namespace Vectord.Cli.Formats;

/// <summary>
/// Reads <c>.fvecs</c> and <c>.bvecs</c> files (the ann-benchmarks / TEXMEX formats): each row is a little-endian
/// int32 dimension followed by that many float32 (<c>fvecs</c>) or unsigned byte (<c>bvecs</c>) components. Rows
/// have no ids: a row's id is its number, from 0.
/// </summary>
internal sealed class VecsReader : VectorFileReader
{
    private readonly int _componentSize;
    private long? _rowCount;

    /// <summary>Opens <paramref name="file"/>; <paramref name="bytes"/> chooses <c>bvecs</c> over <c>fvecs</c>.</summary>
    public VecsReader(FileStream file, bool bytes) : base(file)
    {
        _componentSize = bytes ? 1 : 4;
    }

    /// <inheritdoc />
    public override string RowKind => "row";

    /// <inheritdoc />
    public override long? RowCount => _rowCount;

    /// <inheritdoc />
    public override IEnumerable<SourceRow> ReadRows()
    {
        var header = new byte[4];
        var dimension = -1;
        byte[] raw = [];
        for (long row = 0; ; row++)
        {
            var read = ReadFully(header);
            if (read == 0)
            {
                yield break;
            }
            if (read < header.Length)
            {
                yield return SourceRow.Bad(row, $"truncated: the file ends {read} bytes into the row's dimension");
                yield break;
            }
            var rowDimension = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (rowDimension is <= 0 or > 1 << 20)
            {
                yield return SourceRow.Bad(row, $"impossible dimension {rowDimension}: not a {(_componentSize == 1 ? "bvecs" : "fvecs")} file, or damaged");
                yield break;
            }
            if (dimension < 0)
            {
                dimension = rowDimension;
                raw = new byte[dimension * _componentSize];
                if (!Compressed)
                {
                    _rowCount = FileLength / (4L + raw.Length);
                }
            }
            if (rowDimension != dimension)
            {
                // The framing still holds: skip this row's components and go on.
                var skip = new byte[rowDimension * _componentSize];
                if (ReadFully(skip) < skip.Length)
                {
                    yield return SourceRow.Bad(row, "truncated: the file ends inside the row");
                    yield break;
                }
                yield return SourceRow.Bad(row, string.Create(CultureInfo.InvariantCulture, $"dimension {rowDimension}, the file's first row has {dimension}"));
                continue;
            }
            var got = ReadFully(raw);
            if (got < raw.Length)
            {
                yield return SourceRow.Bad(row, string.Create(CultureInfo.InvariantCulture, $"truncated: the file ends {got} of {raw.Length} bytes into the row"));
                yield break;
            }
            yield return SourceRow.Good(row, new IndexItem(RowId(row), Decode(raw)));
        }
    }

    private float[] Decode(byte[] raw)
    {
        var vector = new float[raw.Length / _componentSize];
        if (_componentSize == 1)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = raw[i];
            }
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
            }
        }
        return vector;
    }
}

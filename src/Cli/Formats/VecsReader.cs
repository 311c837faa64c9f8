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
                throw Truncated(row, $"{read} bytes into its dimension");
            }
            var rowDimension = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (rowDimension is <= 0 or > (int)MaxComponents)
            {
                var what = rowDimension > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"dimension {rowDimension} is too large (at most {MaxComponents} components)")
                    : string.Create(CultureInfo.InvariantCulture, $"impossible dimension {rowDimension}");
                throw new InvalidDataException($"row {row}: {what}: not a {Kind} file, or damaged");
            }
            if (dimension < 0)
            {
                dimension = rowDimension;
                raw = new byte[dimension * _componentSize];
                _rowCount = ContentLength / (4L + raw.Length);
            }
            var components = rowDimension == dimension ? raw : new byte[rowDimension * _componentSize];
            var got = ReadFully(components);
            if (got < components.Length)
            {
                throw Truncated(row, $"{got} of {components.Length} bytes into its components");
            }
            // A row of another dimension: the framing still holds, so it is a bad row and the reading goes on.
            yield return rowDimension == dimension
                ? SourceRow.Good(row, new IndexItem(RowId(row), Decode(raw)))
                : SourceRow.Bad(row, string.Create(CultureInfo.InvariantCulture, $"dimension {rowDimension}, the file's first row has {dimension}"));
        }
    }

    private string Kind => _componentSize == 1 ? "bvecs" : "fvecs";

    private static InvalidDataException Truncated(long row, string where) => new(string.Create(CultureInfo.InvariantCulture,
        $"truncated: the file ends inside row {row} ({where}): {row} whole rows found, {row + 1} expected"));

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

using System.Buffers.Binary;
using IdxTestFiles = Vectord.Bench.Tests.IdxTestFiles;
using Vectord.Cli.Formats;
using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary>Binary files whose header does not fit their content: cut short (the rows expected and found, before
/// any row past the last whole one), or announcing sizes too large to read (said so, not an overflow).</summary>
public sealed class BinaryHeaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("vectord-cli-headers");

    public void Dispose() => _dir.Dispose();

    private static SourceRow[] Read(string path)
    {
        using var reader = VectorFiles.Open(path, VectorFiles.Detect(path)!.Value, new FieldNames());
        return [.. reader.ReadRows()];
    }

    private static void Write(string path, byte[] bytes)
    {
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            IdxTestFiles.WriteGzip(path, bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
    }

    [Theory]
    [InlineData("(99999999999999999999, 3)")]
    [InlineData("(3, 4294967296)")]
    [InlineData("(3, 99999999999999999999)")]
    [InlineData("(4611686018427387904, 1000)")]
    public void Npy_shape_that_overflows_is_refused_as_too_large(string shape)
    {
        var path = _dir.Combine("huge.npy");
        TestFiles.Npy(path, [[1f, 2f, 3f]], doubles: false);
        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(path)).Replace("(1, 3), }", shape + ", }", StringComparison.Ordinal);
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text));

        var e = Assert.Throws<InvalidDataException>(() => Read(path));

        Assert.StartsWith($".npy shape {shape} is too large", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, 4)]
    [InlineData(false, 12)]
    [InlineData(true, 4)]
    public void Truncated_npy_is_refused_before_any_row_with_the_rows_expected_and_found(bool gzipped, int cut)
    {
        var plain = _dir.Combine("plain.npy");
        TestFiles.Npy(plain, [[1f, 2f, 3f], [4f, 5f, 6f], [7f, 8f, 9f]], doubles: false);
        var bytes = File.ReadAllBytes(plain)[..^cut];
        var path = _dir.Combine(gzipped ? "short.npy.gz" : "short.npy");
        Write(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => VectorFiles.Open(path, VectorFormat.Npy, new FieldNames()));

        Assert.StartsWith("truncated: the header announces 3 rows of 12 bytes, the file holds 2 whole rows", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.fvecs", 2)]
    [InlineData("a.fvecs", 9)]
    [InlineData("a.fvecs", 14)]
    [InlineData("a.bvecs", 2)]
    [InlineData("a.fvecs.gz", 2)]
    public void Truncated_vecs_end_the_reading_with_the_rows_found_after_the_whole_rows(string name, int cut)
    {
        var path = _dir.Combine(name);
        var plain = _dir.Combine("plain-" + name.Replace(".gz", "", StringComparison.Ordinal));
        if (name.Contains("bvecs", StringComparison.Ordinal))
        {
            TestFiles.Bvecs(plain, [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]]);
        }
        else
        {
            TestFiles.Fvecs(plain, [[1f, 2f, 3f], [3f, 4f, 5f], [5f, 6f, 7f]]);
        }
        var bytes = File.ReadAllBytes(plain)[..^cut];
        Write(path, bytes);
        using var reader = VectorFiles.Open(path, VectorFiles.Detect(path)!.Value, new FieldNames());
        var read = new List<SourceRow>();

        var e = Assert.Throws<InvalidDataException>(() => read.AddRange(reader.ReadRows()));

        Assert.Equal(2, read.Count);
        Assert.All(read, r => Assert.NotNull(r.Item));
        Assert.Contains("truncated: the file ends inside row 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 whole rows found, 3 expected", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1 << 30, "dimension 1073741824 is too large (at most 1048576 components)")]
    [InlineData(-5, "impossible dimension -5")]
    public void Vecs_whose_dimension_cannot_be_are_refused_whole(int dimension, string message)
    {
        var path = _dir.Combine("huge.fvecs");
        var bytes = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, dimension);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => Read(path));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_idx_is_refused_before_any_row_with_the_rows_expected_and_found(bool gzipped)
    {
        var path = _dir.Combine(gzipped ? "short-idx3-ubyte.gz" : "short-idx3-ubyte");
        var bytes = IdxTestFiles.Images(3, 2, 2, (_, _) => 7)[..^3];
        Write(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => VectorFiles.Open(path, VectorFormat.Idx, new FieldNames()));

        Assert.Equal("truncated: the header announces 3 rows of 4 bytes, the file holds 2 whole rows and 1 bytes of the next", e.Message);
    }

    [Theory]
    [InlineData(new[] { 60000, 65536, 65536 }, "IDX dimensions (60000 × 65536 × 65536) are too large (at most 1048576 components per row)")]
    [InlineData(new[] { 2, int.MaxValue, int.MaxValue, int.MaxValue }, "IDX dimensions (2 × 2147483647 × 2147483647 × 2147483647) are too large")]
    [InlineData(new[] { 2, 28, -28 }, "impossible IDX dimensions (2 × 28 × -28)")]
    public void Idx_dimensions_that_overflow_are_refused_saying_so(int[] sizes, string message)
    {
        var path = _dir.Combine("huge.idx");
        var bytes = new byte[4 + 4 * sizes.Length + 64];
        bytes[2] = 0x08;
        bytes[3] = (byte)sizes.Length;
        for (var d = 0; d < sizes.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), sizes[d]);
        }
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => Read(path));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

}

using IdxTestFiles = Vectord.Bench.Tests.IdxTestFiles;
using Vectord.Cli.Formats;
using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary>Every format read from small files written here: ids, vectors, metadata, bad rows with their numbers.</summary>
public sealed class FormatReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("vectord-cli-formats");

    public void Dispose() => _dir.Dispose();

    private static SourceRow[] Read(string path, VectorFormat? format = null, FieldNames? fields = null)
    {
        using var reader = VectorFiles.Open(path, format ?? VectorFiles.Detect(path)!.Value, fields ?? new FieldNames());
        return [.. reader.ReadRows()];
    }

    [Theory]
    [InlineData("a.jsonl", "Jsonl")]
    [InlineData("a.ndjson.gz", "Jsonl")]
    [InlineData("A.CSV", "Csv")]
    [InlineData("emb.npy", "Npy")]
    [InlineData("sift_base.fvecs", "Fvecs")]
    [InlineData("bigann.bvecs", "Bvecs")]
    [InlineData("train-images-idx3-ubyte.gz", "Idx")]
    [InlineData("t10k-images-idx3-ubyte", "Idx")]
    [InlineData("x.idx", "Idx")]
    public void Format_is_told_by_the_file_name(string name, string expected) =>
        Assert.Equal(Enum.Parse<VectorFormat>(expected), VectorFiles.Detect(name));

    [Fact]
    public void Unknown_extension_tells_no_format() => Assert.Null(VectorFiles.Detect("data.bin"));

    [Fact]
    public void Jsonl_reads_ids_vectors_metadata_and_reports_bad_lines_by_number()
    {
        var path = _dir.Combine("a.jsonl");
        TestFiles.Text(path,
            """{"id":"a","vector":[1,2.5,-3],"metadata":{"lang":"en","n":[1,2]}}""",
            """{"id":7,"vector":[0,0,1]}""",
            "",
            """{"id":"c","vector":[1,"x",3]}""",
            """not json""",
            """{"vector":[1,2,3]}""",
            """{"id":"f","vector":[1,2,3],"metadata":null}""");

        var rows = Read(path);

        Assert.Equal([1L, 2, 4, 5, 6, 7], rows.Select(r => r.Number));
        Assert.Equal(new IndexItem("a", [1f, 2.5f, -3f], """{"lang":"en","n":[1,2]}"""), rows[0].Item, ItemComparer.Instance);
        Assert.Equal("7", rows[1].Item!.Id);
        Assert.Null(rows[1].Item!.Metadata);
        Assert.Contains("\"vector\" is not an array of numbers", rows[2].Error, StringComparison.Ordinal);
        Assert.StartsWith("not JSON", rows[3].Error, StringComparison.Ordinal);
        Assert.Equal("no \"id\" field", rows[4].Error);
        Assert.Equal("null", rows[5].Item!.Metadata);
    }

    [Fact]
    public void Jsonl_named_fields_make_the_other_fields_metadata()
    {
        var path = _dir.Combine("b.jsonl");
        TestFiles.Text(path, """{"key":"x","emb":[1,2],"title":"T","year":2020}""", """{"key":"y","emb":[3,4]}""");

        var rows = Read(path, fields: new FieldNames("key", "emb"));

        Assert.Equal(new IndexItem("x", [1f, 2f], """{"title":"T","year":2020}"""), rows[0].Item, ItemComparer.Instance);
        Assert.Equal(new IndexItem("y", [3f, 4f]), rows[1].Item, ItemComparer.Instance);
    }

    [Fact]
    public void Gzipped_jsonl_reads_like_the_plain_file()
    {
        var plain = _dir.Combine("c.jsonl");
        TestFiles.Text(plain, """{"id":"a","vector":[1,2]}""", """{"id":"b","vector":[3,4]}""");
        var gz = _dir.Combine("c.jsonl.gz");
        IdxTestFiles.WriteGzip(gz, File.ReadAllBytes(plain));

        Assert.Equal(Read(plain).Select(r => r.Item), Read(gz).Select(r => r.Item), ItemComparer.Instance);
    }

    [Fact]
    public void Csv_reads_a_vector_column_quoted_cells_and_typed_metadata()
    {
        var path = _dir.Combine("a.csv");
        TestFiles.Text(path,
            "id,vector,title,year,draft,note",
            "a,\"[1, 2, 3]\",\"Hello, \"\"world\"\"\",2020,true,",
            "b,4 5 6,plain,x1,false,\"two\nlines\"",
            "c,7 8,short,1,true,n",
            "d,1 2 3,only four cells,1");

        var rows = Read(path);

        Assert.Equal([2L, 3, 5, 6], rows.Select(r => r.Number));
        Assert.Equal(new IndexItem("a", [1f, 2f, 3f], """{"title":"Hello, \u0022world\u0022","year":2020,"draft":true}"""), rows[0].Item, ItemComparer.Instance);
        Assert.Equal(new IndexItem("b", [4f, 5f, 6f], """{"title":"plain","year":"x1","draft":false,"note":"two\nlines"}"""), rows[1].Item, ItemComparer.Instance);
        Assert.Equal([7f, 8f], rows[2].Item!.Vector);
        Assert.Equal("4 cells, the header has 6", rows[3].Error);
    }

    [Fact]
    public void Csv_reads_numbered_vector_columns_in_their_order()
    {
        var path = _dir.Combine("b.csv");
        TestFiles.Text(path, "v1,key,v0,v10,label", "2,k1,1,3,cat", "x,k2,1,1,dog");

        var rows = Read(path, fields: new FieldNames("key", "v"));

        Assert.Equal(new IndexItem("k1", [1f, 2f, 3f], """{"label":"cat"}"""), rows[0].Item, ItemComparer.Instance);
        Assert.Equal(3, rows[1].Number);
        Assert.Equal("a vector column is not a number", rows[1].Error);
    }

    [Fact]
    public void Csv_without_the_id_column_is_refused_naming_it()
    {
        var path = _dir.Combine("c.csv");
        TestFiles.Text(path, "name,vector", "a,1 2");

        var e = Assert.Throws<InvalidDataException>(() => Read(path));
        Assert.Contains("\"id\" column", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Npy_reads_float32_and_float64_rows_with_row_number_ids(bool doubles, bool bigEndian)
    {
        var path = _dir.Combine("a.npy");
        float[][] data = [[1f, 2f, 3f], [-4.5f, 0f, 1e-3f]];
        TestFiles.Npy(path, data, doubles, bigEndian);

        using var reader = VectorFiles.Open(path, VectorFormat.Npy, new FieldNames());
        var rows = reader.ReadRows().ToArray();

        Assert.Equal(2L, reader.RowCount);
        Assert.Equal(["0", "1"], rows.Select(r => r.Item!.Id));
        Assert.Equal(data, rows.Select(r => r.Item!.Vector));
    }

    [Fact]
    public void Npy_of_three_dimensions_is_refused()
    {
        var path = _dir.Combine("b.npy");
        TestFiles.Npy(path, [[1f, 2f]], doubles: false);
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.Latin1.GetString(bytes).Replace("(1, 2)", "(1,1,2)", StringComparison.Ordinal);
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text));

        var e = Assert.Throws<InvalidDataException>(() => Read(path));
        Assert.Contains("only 2-D arrays", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fvecs_reads_rows_and_reports_a_wrong_dimension_as_a_bad_row()
    {
        var path = _dir.Combine("a.fvecs");
        TestFiles.Fvecs(path, [[1f, 2f], [3f, 4f], [5f, 6f, 7f], [8f, 9f]]);

        var rows = Read(path);

        Assert.Equal([0L, 1, 2, 3], rows.Select(r => r.Number));
        Assert.Equal([3f, 4f], rows[1].Item!.Vector);
        Assert.Equal("dimension 3, the file's first row has 2", rows[2].Error);
        Assert.Equal([8f, 9f], rows[3].Item!.Vector);
    }

    [Fact]
    public void Bvecs_reads_bytes_as_components()
    {
        var path = _dir.Combine("a.bvecs");
        TestFiles.Bvecs(path, [[0, 128, 255], [1, 2, 3]]);

        using var reader = VectorFiles.Open(path, VectorFormat.Bvecs, new FieldNames());
        var rows = reader.ReadRows().ToArray();

        Assert.Equal(2L, reader.RowCount);
        Assert.Equal([0f, 128f, 255f], rows[0].Item!.Vector);
        Assert.Equal("1", rows[1].Item!.Id);
    }

    [Fact]
    public void Idx_reads_pixels_in_row_major_order_gzipped_or_not()
    {
        var bytes = IdxTestFiles.Images(3, 2, 3, (i, j) => (byte)(i * 10 + j));
        var raw = _dir.Combine("images-idx3-ubyte");
        File.WriteAllBytes(raw, bytes);
        var gz = _dir.Combine("images-idx3-ubyte.gz");
        IdxTestFiles.WriteGzip(gz, bytes);

        var fromRaw = Read(raw);
        var fromGz = Read(gz);

        Assert.Equal(3, fromRaw.Length);
        Assert.Equal([20f, 21f, 22f, 23f, 24f, 25f], fromRaw[2].Item!.Vector);
        Assert.Equal("2", fromRaw[2].Item!.Id);
        Assert.Equal(fromRaw.Select(r => r.Item), fromGz.Select(r => r.Item), ItemComparer.Instance);
    }

    [Fact]
    public void Idx_label_file_is_refused()
    {
        var path = _dir.Combine("labels.idx");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 2, 4, 7]);

        var e = Assert.Throws<InvalidDataException>(() => Read(path));
        Assert.Contains("0x00000801", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_fashion_mnist_has_60000_rows_of_784_bytes()
    {
        using var reader = VectorFiles.Open("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", VectorFormat.Idx, new FieldNames());
        var first = reader.ReadRows().Take(100).ToArray();

        Assert.Equal(60_000L, reader.RowCount);
        Assert.All(first, r => Assert.Equal(784, r.Item!.Vector.Length));
        Assert.All(first, r => Assert.Contains(r.Item!.Vector, x => x > 0f));
    }
}

/// <summary>Items equal by id, components and metadata text.</summary>
internal sealed class ItemComparer : IEqualityComparer<IndexItem?>
{
    public static readonly ItemComparer Instance = new();

    public bool Equals(IndexItem? x, IndexItem? y) =>
        x is null ? y is null : y is not null && x.Id == y.Id && x.Vector.SequenceEqual(y.Vector) && x.Metadata == y.Metadata;

    public int GetHashCode(IndexItem? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
}

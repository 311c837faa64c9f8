using System.Text;
using IdxTestFiles = Vectord.Bench.Tests.IdxTestFiles;
using Vectord.Cli.Formats;
using Vectord.Testing;

namespace Vectord.Cli.Tests;

/// <summary>Gzip files cut short or failing their checksum are refused before any row; text files cut inside a row
/// end the reading; a row longer than the cap (8 Mi characters) is a bad row, never held whole.</summary>
public sealed class TextAndGzipLimitTests : IDisposable
{
    /// <summary>The documented cap on one row of a text format, in characters.</summary>
    private const int MaxChars = 8 << 20;

    private readonly TempDirectory _dir = new("vectord-cli-limits");

    public void Dispose() => _dir.Dispose();

    private static SourceRow[] Read(string path)
    {
        using var reader = VectorFiles.Open(path, VectorFiles.Detect(path)!.Value, new FieldNames());
        return [.. reader.ReadRows()];
    }

    private string Gzip(string name, byte[] content)
    {
        var path = _dir.Combine(name);
        IdxTestFiles.WriteGzip(path, content);
        return path;
    }

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(1.0, 4)]
    [InlineData(1.0, 9)]
    public void A_gzip_file_cut_short_is_refused_before_any_row(double share, int less)
    {
        var whole = File.ReadAllBytes(Gzip("whole.jsonl.gz", TestFiles.JsonlBytes(20_000)));
        var path = _dir.Combine("cut.jsonl.gz");
        File.WriteAllBytes(path, whole[..((int)(whole.Length * share) - less)]);

        var e = Assert.Throws<InvalidDataException>(() => VectorFiles.Open(path, VectorFormat.Jsonl, new FieldNames()));

        Assert.StartsWith("the gzip data ends early (truncated)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(-2)]
    public void A_gzip_file_failing_its_checksum_is_refused_before_any_row(int at)
    {
        var path = Gzip("crc.jsonl.gz", TestFiles.JsonlBytes(20_000));
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length + at] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => VectorFiles.Open(path, VectorFormat.Jsonl, new FieldNames()));

        Assert.StartsWith("the gzip data is damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("CRC-32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_file_of_several_members_reads_whole()
    {
        var first = File.ReadAllBytes(Gzip("a.gz", TestFiles.JsonlBytes(3)));
        var second = File.ReadAllBytes(Gzip("b.gz", Encoding.UTF8.GetBytes("""{"id":"x","vector":[1,2,3,4]}""" + "\n")));
        var path = _dir.Combine("members.jsonl.gz");
        File.WriteAllBytes(path, [.. first, .. second]);

        Assert.Equal(["0", "1", "2", "x"], Read(path).Select(r => r.Item!.Id));
    }

    [Fact]
    public void A_line_longer_than_the_cap_is_a_bad_row_and_the_next_lines_are_read()
    {
        var path = _dir.Combine("long.jsonl");
        var huge = """{"id":"huge","vector":[""" + string.Join(',', Enumerable.Repeat("0.5", MaxChars / 4)) + "]}";
        TestFiles.Text(path, """{"id":"a","vector":[1,2]}""", huge, """{"id":"b","vector":[3,4]}""");

        var rows = Read(path);

        Assert.Equal(["a", null, "b"], rows.Select(r => r.Item?.Id));
        Assert.Equal($"the line is {huge.Length} characters long (at most 8388608)", rows[1].Error);
    }

    [Theory]
    [InlineData((byte)'0')]
    [InlineData((byte)0)]
    public void A_gzip_bomb_of_one_endless_line_is_read_in_bounded_memory(byte fill)
    {
        const long Repeated = 256L << 20;
        var path = _dir.Combine("bomb.jsonl.gz");
        var prefix = """{"id":"bomb","vector":["""u8.ToArray();
        TestFiles.GzipBomb(path, prefix, fill, Repeated, "1]}\n{\"id\":\"b\",\"vector\":[1,2]}\n"u8.ToArray());
        Assert.InRange(new FileInfo(path).Length, 1, 1 << 20);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var rows = Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal([null, "b"], rows.Select(r => r.Item?.Id));
        Assert.StartsWith($"the line is {prefix.Length + Repeated + 3} characters long", rows[0].Error, StringComparison.Ordinal);
        // One line of at most MaxChars characters (2 bytes each) is kept, with its builder's growth: well under the
        // 512 MiB the whole line would take as a string.
        Assert.True(allocated < 8L * MaxChars, $"{allocated:N0} bytes allocated to read a {Repeated:N0}-character line");
    }

    [Fact]
    public void Jsonl_cut_inside_its_last_line_ends_the_reading_after_the_whole_lines()
    {
        var path = _dir.Combine("cut.jsonl");
        var bytes = TestFiles.JsonlBytes(3);
        File.WriteAllBytes(path, bytes[..^10]);
        using var reader = VectorFiles.Open(path, VectorFormat.Jsonl, new FieldNames());
        var read = new List<SourceRow>();

        var e = Assert.Throws<InvalidDataException>(() => read.AddRange(reader.ReadRows()));

        Assert.Equal(["0", "1"], read.Select(r => r.Item!.Id));
        Assert.StartsWith("truncated: the file ends inside line 3, which is not whole JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_cut_inside_its_last_record_ends_the_reading_after_the_whole_records()
    {
        var path = _dir.Combine("cut.csv");
        File.WriteAllText(path, "id,vector,title\na,1 2,x\nb,3 4");
        using var reader = VectorFiles.Open(path, VectorFormat.Csv, new FieldNames());
        var read = new List<SourceRow>();

        var e = Assert.Throws<InvalidDataException>(() => read.AddRange(reader.ReadRows()));

        Assert.Equal(["a"], read.Select(r => r.Item!.Id));
        Assert.Equal("truncated: the file ends inside line 3, after 2 of its 3 cells", e.Message);
    }

    [Fact]
    public void Csv_record_longer_than_the_cap_is_a_bad_row_and_the_next_records_are_read()
    {
        var path = _dir.Combine("long.csv");
        var cell = new string('x', MaxChars);
        TestFiles.Text(path, "id,vector,note", "a,1 2,short", $"huge,3 4,\"{cell}\"", "b,5 6,");

        var rows = Read(path);

        Assert.Equal(["a", null, "b"], rows.Select(r => r.Item?.Id));
        Assert.Equal((3L, $"the record is {MaxChars + 9} characters long (at most 8388608)"), (rows[1].Number, rows[1].Error));
    }
}

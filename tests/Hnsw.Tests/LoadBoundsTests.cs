using System.Buffers.Binary;
using System.IO.Hashing;

namespace Vectord.Hnsw.Tests;

/// <summary>Every count and length a saved image holds is bounded by the bytes the input has before the loader
/// allocates for it, on a seekable input and on one that is not (with the length given).</summary>
public sealed class LoadBoundsTests
{
    private const int Dim = 12;
    private const long Small = 32 << 20;
    private const int HeaderLength = 5 + (11 * 4);
    private const int SlotsOffset = 5 + (7 * 4);

    private static byte[] Saved()
    {
        var index = new HnswIndex(new HnswOptions(Dim, DistanceKind.Euclidean, M: 8, EfSearch: 40, Seed: 5));
        index.AddBatch([.. TestData.Clustered(200, Dim, seed: 3).Select((v, i) => new VectorItem($"item-{i}", v, [(byte)'1']))], 1);
        using var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    private static long Allocated(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void A_metadata_length_past_the_end_of_the_input_is_refused_before_it_is_allocated()
    {
        byte[] bytes = Saved();
        var (_, start, end) = PersistenceTests.Sections(bytes).Single(s => s.Name == "metadata");
        // The section claims 2 GB and its first slot 1 GB; both checksums are made to match.
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(start + 1), 2_000_000_000);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(start + 9), 1_000_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(end - 8), XxHash64.HashToUInt64(bytes.AsSpan(start, end - 8 - start)));

        HnswFormatException? e = null;
        long allocated = Allocated(() => e = Assert.Throws<HnswFormatException>(() => HnswIndex.Load(new MemoryStream(bytes, writable: false))));
        Assert.Contains("section metadata claims 2000000000 bytes", e!.Message, StringComparison.Ordinal);
        Assert.True(allocated < Small, $"{allocated} bytes allocated");
    }

    [Fact]
    public void An_input_that_cannot_seek_is_bounded_by_the_length_given_and_its_header_can_be_refused_first()
    {
        byte[] bytes = Saved();
        Assert.Equal(200, HnswIndex.Load(new ForwardOnly(bytes), bytes.Length, _ => { }).Count);

        byte[] claiming = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(claiming.AsSpan(SlotsOffset), 20_000_000);   // about 1.6 GB of slots
        BinaryPrimitives.WriteUInt64LittleEndian(claiming.AsSpan(HeaderLength), XxHash64.HashToUInt64(claiming.AsSpan(0, HeaderLength)));
        HnswFormatException? e = null;
        long allocated = Allocated(() => e = Assert.Throws<HnswFormatException>(() => HnswIndex.Load(new ForwardOnly(claiming), claiming.Length, _ => { })));
        Assert.Contains("claims 20000000 slots", e!.Message, StringComparison.Ordinal);
        Assert.True(allocated < Small, $"{allocated} bytes allocated");
        Assert.Contains("claims 20000000 slots", Assert.Throws<HnswFormatException>(() => HnswImageHeader.Read(claiming, claiming.Length)).Message, StringComparison.Ordinal);

        HnswImageHeader? seen = null;
        allocated = Allocated(() => Assert.Throws<InvalidOperationException>(() => HnswIndex.Load(new ForwardOnly(bytes), bytes.Length, header =>
        {
            seen = header;
            throw new InvalidOperationException("refused");
        })));
        Assert.NotNull(seen);
        Assert.Equal((new HnswOptions(Dim, DistanceKind.Euclidean, 8, HnswOptions.DefaultEfConstruction, 40, 5), 200, 200), (seen.Options, seen.Slots, seen.Count));
        Assert.True(allocated < Small, $"{allocated} bytes allocated");
    }

    /// <summary>A stream that only reads forward, as a part of a snapshot file does.</summary>
    private sealed class ForwardOnly(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes, writable: false);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

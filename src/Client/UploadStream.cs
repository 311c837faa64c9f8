namespace Vectord.Client;

/// <summary>
/// The body of an upload: reads the caller's stream, reports the bytes read so far, and leaves that stream open
/// when the request is disposed (it belongs to the caller).
/// </summary>
internal sealed class UploadStream(Stream source, IProgress<long>? progress) : Stream
{
    private long _sent;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => _sent;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(source.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(source.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Counted(int read)
    {
        if (read > 0)
        {
            _sent += read;
            progress?.Report(_sent);
        }
        return read;
    }
}

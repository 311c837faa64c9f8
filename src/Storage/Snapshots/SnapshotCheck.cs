using System.Security.Cryptography;

namespace Vectord.Storage.Snapshots;

/// <summary>
/// Checks a snapshot file as it streams past, without holding it: the prefix (magic and a known version) as soon as
/// it has arrived, and at the end the trailer against the SHA-256 of everything before it. Also takes the SHA-256 of
/// the whole file, which a caller may compare with the one it expects. The last <see cref="SnapshotFile.TrailerLength"/>
/// bytes seen are held back from the body's hash until more arrive, since any of them may be the trailer.
/// </summary>
public sealed class SnapshotCheck : IDisposable
{
    private readonly IncrementalHash _body = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _prefix = new byte[SnapshotFile.PrefixLength];
    private readonly byte[] _tail = new byte[SnapshotFile.TrailerLength];
    private readonly byte[] _shifted = new byte[SnapshotFile.TrailerLength];
    private int _prefixUsed;
    private int _tailUsed;

    /// <summary>Bytes seen so far.</summary>
    public long Length { get; private set; }

    /// <summary>Takes the next bytes of the file.</summary>
    /// <exception cref="SnapshotFormatException">The prefix shows it is no snapshot or of an unknown version.</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        _whole.AppendData(data);
        Length += data.Length;
        if (_prefixUsed < _prefix.Length)
        {
            var n = Math.Min(data.Length, _prefix.Length - _prefixUsed);
            data[..n].CopyTo(_prefix.AsSpan(_prefixUsed));
            _prefixUsed += n;
            if (_prefixUsed == _prefix.Length) { SnapshotFile.CheckPrefix(_prefix); }
        }

        var total = _tailUsed + data.Length;
        if (total <= _tail.Length)
        {
            data.CopyTo(_tail.AsSpan(_tailUsed));
            _tailUsed = total;
            return;
        }
        // Hash all but the last TrailerLength bytes of (tail + data), then keep those as the new tail.
        var release = total - _tail.Length;
        var fromTail = Math.Min(release, _tailUsed);
        _body.AppendData(_tail.AsSpan(0, fromTail));
        _body.AppendData(data[..(release - fromTail)]);
        var keptOfTail = _tailUsed - fromTail;
        _tail.AsSpan(fromTail, keptOfTail).CopyTo(_shifted);
        data[(release - fromTail)..].CopyTo(_shifted.AsSpan(keptOfTail));
        _shifted.CopyTo(_tail, 0);
        _tailUsed = _tail.Length;
    }

    /// <summary>Checks the end of the file.</summary>
    /// <returns>The SHA-256 of the whole file, lower-case hex.</returns>
    /// <exception cref="SnapshotFormatException">The file is truncated or damaged.</exception>
    public string Finish()
    {
        if (_prefixUsed < _prefix.Length || Length < SnapshotFile.PrefixLength + SnapshotFile.TrailerLength)
        {
            throw new SnapshotFormatException($"the file is truncated ({Length} bytes)");
        }
        if (!_tail.AsSpan(32).SequenceEqual(SnapshotFile.EndMagic))
        {
            throw new SnapshotFormatException("the file is truncated or damaged: it does not end with a snapshot trailer");
        }
        if (!_body.GetHashAndReset().AsSpan().SequenceEqual(_tail.AsSpan(0, 32)))
        {
            throw new SnapshotFormatException("the file is damaged: its content does not match the SHA-256 in its trailer");
        }
        return Convert.ToHexStringLower(_whole.GetHashAndReset());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _body.Dispose();
        _whole.Dispose();
    }
}

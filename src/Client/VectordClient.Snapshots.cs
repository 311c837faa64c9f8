using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Vectord.Contracts;

namespace Vectord.Client;

public sealed partial class VectordClient
{
    private const int TransferBufferBytes = 1 << 20;
    private static readonly MediaTypeHeaderValue s_octetStream = new("application/octet-stream");

    /// <summary>Takes a snapshot of an index, kept in the service's storage until deleted. Writes that arrive
    /// meanwhile are wholly in it or wholly not.</summary>
    /// <returns>The snapshot's name, time, size, SHA-256 and number of items.</returns>
    /// <exception cref="IndexNotFoundException">No such index (404).</exception>
    public async Task<SnapshotInfo> CreateSnapshotAsync(string index, CancellationToken cancellationToken = default)
    {
        SnapshotResponse answer = await SendAsync(HttpMethod.Post, IndexPath(index) + "/snapshots", null, Retry.Never,
            GatewayJsonContext.Default.SnapshotResponse, cancellationToken).ConfigureAwait(false);
        return ToInfo(answer);
    }

    /// <summary>The snapshots of an index, newest first; those of a dropped index are still listed.</summary>
    public async Task<SnapshotInfo[]> ListSnapshotsAsync(string index, CancellationToken cancellationToken = default)
    {
        SnapshotListResponse answer = await SendAsync(HttpMethod.Get, IndexPath(index) + "/snapshots", null, Retry.Read,
            GatewayJsonContext.Default.SnapshotListResponse, cancellationToken).ConfigureAwait(false);
        return [.. answer.Snapshots.Select(ToInfo)];
    }

    /// <summary>Streams a snapshot's file into <paramref name="destination"/>, a buffer at a time, and checks it
    /// against the SHA-256 the service announces.</summary>
    /// <param name="index">The index the snapshot was taken of.</param>
    /// <param name="snapshot">The snapshot's name.</param>
    /// <param name="destination">Where the bytes go; it is neither rewound nor closed.</param>
    /// <param name="progress">Told the bytes received so far, after each buffer.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>Bytes written and the SHA-256 (lower-case hex) of what was received.</returns>
    /// <exception cref="SnapshotNotFoundException">No such snapshot (404).</exception>
    /// <exception cref="InvalidDataException">What arrived is not what the service announced (length or SHA-256).</exception>
    public async Task<SnapshotTransfer> DownloadSnapshotAsync(string index, string snapshot, Stream destination,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, SnapshotPath(index, snapshot), null, Retry.Read,
            HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            byte[] buffer = new byte[TransferBufferBytes];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
                progress?.Report(total);
            }
            string sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (response.Content.Headers.ContentLength is long announced && announced != total)
            {
                throw new InvalidDataException($"snapshot '{snapshot}': received {total} of the {announced} bytes announced");
            }
            if (AnnouncedSha256(response) is string expected && expected != sha256)
            {
                throw new InvalidDataException($"snapshot '{snapshot}': the bytes received have SHA-256 {sha256}, the service announced {expected}");
            }
            return new SnapshotTransfer(total, sha256);
        }
    }

    /// <summary>Deletes a snapshot.</summary>
    /// <exception cref="SnapshotNotFoundException">No such snapshot (404).</exception>
    public async Task DeleteSnapshotAsync(string index, string snapshot, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Delete, SnapshotPath(index, snapshot), null, Retry.Never,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the index <paramref name="index"/> from a snapshot file, streamed from
    /// <paramref name="snapshot"/> (read from its current position to its end; never whole in memory).</summary>
    /// <param name="snapshot">The file's bytes.</param>
    /// <param name="index">The new index's name.</param>
    /// <param name="shards">Parts of the new index; 0: as many as the snapshot has.</param>
    /// <param name="sha256">When set, the SHA-256 (hex) the file must have.</param>
    /// <param name="progress">Told the bytes sent so far.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>The new index's parameters and length.</returns>
    /// <exception cref="IndexAlreadyExistsException">The index exists (409); nothing was changed.</exception>
    /// <exception cref="InvalidIndexArgumentException">The file is damaged, truncated, of an unknown version or does
    /// not have the SHA-256 given, or it is larger than the service takes (400, 413); nothing was created.</exception>
    public async Task<IndexInfo> RestoreSnapshotAsync(Stream snapshot, string index, int shards = 0, string? sha256 = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(index);
        string path = "vectors/snapshots/restore?index=" + Uri.EscapeDataString(index);
        if (shards != 0)
        {
            path += "&shards=" + shards.ToString(CultureInfo.InvariantCulture);
        }
        if (sha256 is not null)
        {
            path += "&sha256=" + Uri.EscapeDataString(sha256);
        }
        var content = new StreamContent(new UploadStream(snapshot, progress), TransferBufferBytes);
        content.Headers.ContentType = s_octetStream;
        if (snapshot.CanSeek)
        {
            content.Headers.ContentLength = snapshot.Length - snapshot.Position;
        }
        IndexResponse answer = await SendAsync(HttpMethod.Post, path, content, Retry.Never,
            GatewayJsonContext.Default.IndexResponse, cancellationToken).ConfigureAwait(false);
        return ToInfo(answer);
    }

    private static string SnapshotPath(string index, string snapshot)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshot);
        return IndexPath(index) + "/snapshots/" + Uri.EscapeDataString(snapshot);
    }

    /// <summary>The SHA-256 of the <c>Repr-Digest: sha-256=:base64:</c> header (RFC 9530) as lower-case hex; null
    /// when the answer has none.</summary>
    private static string? AnnouncedSha256(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Repr-Digest", out IEnumerable<string>? values))
        {
            return null;
        }
        foreach (string field in values.SelectMany(v => v.Split(',')))
        {
            string item = field.Trim();
            const string Prefix = "sha-256=:";
            if (item.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && item.EndsWith(':') && item.Length > Prefix.Length + 1)
            {
                byte[] digest = new byte[32];
                return Convert.TryFromBase64String(item[Prefix.Length..^1], digest, out int written) && written == digest.Length
                    ? Convert.ToHexStringLower(digest)
                    : throw new InvalidDataException($"the Repr-Digest header is not a SHA-256: {item}");
            }
        }
        return null;
    }

    private static SnapshotInfo ToInfo(SnapshotResponse answer) =>
        new(answer.Name, DateTimeOffset.Parse(answer.Created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            answer.Size, answer.Sha256, answer.Length);
}

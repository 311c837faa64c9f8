namespace Vectord;

/// <summary>Base of the errors an index grain raises on purpose; its message says what is wrong.</summary>
[GenerateSerializer, Alias("vectord.VectordException")]
public abstract class VectordException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected VectordException(string message) : base(message) { }

    /// <summary>The HTTP status the error was answered with, when it came through the HTTP API (Vectord.Client);
    /// null when a grain raised it. The message is then the answer's <c>detail</c>.</summary>
    [Id(0)]
    public int? Status { get; init; }

    /// <summary>For a write to a sharded index that failed on some of its shards: the shards (numbered from 0,
    /// ascending) that applied their share of the write. A shard not listed holds none of it, unless the error is
    /// a <see cref="WriteOutcomeUnknownException"/>, after which it may still apply its share. Null when nothing
    /// was written (the error came before any shard was) or the index has one shard.</summary>
    [Id(1)]
    public int[]? AppliedShards { get; set; }
}

/// <summary>The index (or, in a merge, the source or destination) does not exist.</summary>
[GenerateSerializer, Alias("vectord.IndexNotFoundException")]
public sealed class IndexNotFoundException(string message) : VectordException(message);

/// <summary>An index of that name exists already.</summary>
[GenerateSerializer, Alias("vectord.IndexAlreadyExistsException")]
public sealed class IndexAlreadyExistsException(string message) : VectordException(message);

/// <summary>The request is invalid; nothing was changed.</summary>
[GenerateSerializer, Alias("vectord.InvalidIndexArgumentException")]
public sealed class InvalidIndexArgumentException(string message) : VectordException(message);

/// <summary>Storage refused or failed a read or write; nothing was changed. Retry later.</summary>
[GenerateSerializer, Alias("vectord.StorageUnavailableException")]
public sealed class StorageUnavailableException(string message) : VectordException(message)
{
    /// <summary>The message of a write refused because another activation of the index owns its storage now.</summary>
    public const string IndexMoved = "the index was changed by another activation; retry";
}

/// <summary>The index's stored data is corrupt and it cannot be served; other indexes are unaffected.</summary>
[GenerateSerializer, Alias("vectord.IndexCorruptException")]
public sealed class IndexCorruptException(string message) : VectordException(message);

/// <summary>The write does not fit: the index part would outgrow its capacity, or the node has not the memory to
/// grow it. Nothing was changed.</summary>
[GenerateSerializer, Alias("vectord.IndexFullException")]
public sealed class IndexFullException(string message) : VectordException(message);

/// <summary>A write was made durable but could not be applied, nor taken back: it may yet take effect (when the
/// index reloads). Read the index before repeating it.</summary>
[GenerateSerializer, Alias("vectord.WriteOutcomeUnknownException")]
public sealed class WriteOutcomeUnknownException(string message) : VectordException(message);

/// <summary>The index has no snapshot of that name.</summary>
[GenerateSerializer, Alias("vectord.SnapshotNotFoundException")]
public sealed class SnapshotNotFoundException(string message) : VectordException(message);

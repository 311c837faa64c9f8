using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Vectord.Cli.Formats;

namespace Vectord.Cli.Import;

/// <summary>Sends one batch to the index: null when it was stored, else the <c>detail</c> of the service's 400 (the
/// batch refused whole, e.g. <c>items[3]: dim mismatch (index=4, got=3)</c>). Any other failure throws.</summary>
internal delegate Task<string?> AddBatchAsync(IReadOnlyList<IndexItem> items, CancellationToken cancellationToken);

/// <summary>How an import batches and what it does with bad rows.</summary>
/// <param name="BatchSize">Items per add request.</param>
/// <param name="Parallel">Add requests in flight at once.</param>
/// <param name="Strict">Stop at the first bad row instead of skipping it.</param>
internal sealed record ImportOptions(int BatchSize = 500, int Parallel = 4, bool Strict = false);

/// <summary>
/// Reads a file's rows into batches and sends up to <see cref="ImportOptions.Parallel"/> of them at once. A bad row,
/// unreadable in the file or refused by the service (which names it as <c>items[j]</c>), is counted and reported with
/// its line or row number; the rest of its batch is sent again without it. Whether a vector is acceptable is the
/// service's rule, applied there only. A stop request ends the reading; the batches in flight still finish.
/// </summary>
internal sealed partial class Importer(AddBatchAsync add, ImportOptions options)
{
    private const int KeptErrors = 100;

    private readonly List<RowError> _errors = [];
    private volatile bool _stopAtBadRow;

    /// <summary>The counts so far, for progress displays.</summary>
    public ImportCounters Counters { get; } = new();

    /// <summary>Imports every row of <paramref name="reader"/> whose id is not in <paramref name="present"/>.</summary>
    /// <param name="reader">The file.</param>
    /// <param name="present">Ids already in the index, skipped (<c>--resume</c>); null to skip none.</param>
    /// <param name="beforeFirstBatch">Called with the first item to send, before it is sent (creates the index).</param>
    /// <param name="stop">Ends the import after the batches in flight.</param>
    /// <exception cref="CliException">The service refused a batch for a reason that names no item.</exception>
    public async Task<ImportResult> RunAsync(VectorFileReader reader, IReadOnlySet<string>? present,
        Func<IndexItem, Task>? beforeFirstBatch, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(options.Parallel);
        ImportEnd end;
        try
        {
            end = await ReadAsync(reader, present, beforeFirstBatch, inFlight, stop).ConfigureAwait(false);
        }
        finally
        {
            await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        foreach (var task in inFlight)
        {
            await task.ConfigureAwait(false);
        }
        if (_stopAtBadRow)
        {
            end = ImportEnd.StoppedAtBadRow;
        }
        RowError[] first;
        lock (_errors)
        {
            first = [.. _errors.OrderBy(e => e.Number).Take(10)];
        }
        return new ImportResult(end, Counters.Stored, Counters.Skipped, Counters.Rejected, first, clock.Elapsed.TotalSeconds);
    }

    private async Task<ImportEnd> ReadAsync(VectorFileReader reader, IReadOnlySet<string>? present,
        Func<IndexItem, Task>? beforeFirstBatch, List<Task> inFlight, CancellationToken stop)
    {
        var batch = new List<(long Number, IndexItem Item)>(options.BatchSize);
        var first = true;
        foreach (var row in reader.ReadRows())
        {
            if (stop.IsCancellationRequested)
            {
                return ImportEnd.Interrupted;
            }
            if (_stopAtBadRow)
            {
                return ImportEnd.StoppedAtBadRow;
            }
            if (row.Item is not { } item)
            {
                Reject(row.Number, row.Error ?? "unreadable");
                if (options.Strict)
                {
                    return ImportEnd.StoppedAtBadRow;
                }
                continue;
            }
            if (present is not null && present.Contains(item.Id))
            {
                Counters.AddSkipped();
                continue;
            }
            batch.Add((row.Number, item));
            if (batch.Count < options.BatchSize)
            {
                continue;
            }
            if (first && beforeFirstBatch is not null)
            {
                await beforeFirstBatch(batch[0].Item).ConfigureAwait(false);
            }
            first = false;
            if (!await DispatchAsync(batch, inFlight, stop).ConfigureAwait(false))
            {
                return ImportEnd.Interrupted;
            }
            batch = new List<(long, IndexItem)>(options.BatchSize);
        }
        if (stop.IsCancellationRequested)
        {
            return ImportEnd.Interrupted;
        }
        if (batch.Count > 0 && !_stopAtBadRow)
        {
            if (first && beforeFirstBatch is not null)
            {
                await beforeFirstBatch(batch[0].Item).ConfigureAwait(false);
            }
            if (!await DispatchAsync(batch, inFlight, stop).ConfigureAwait(false))
            {
                return ImportEnd.Interrupted;
            }
        }
        return ImportEnd.Completed;
    }

    /// <summary>Starts sending <paramref name="batch"/> once fewer than <see cref="ImportOptions.Parallel"/> batches are
    /// in flight, unless a stop was requested meanwhile (false); a batch that failed before is rethrown here, which
    /// ends the reading.</summary>
    private async Task<bool> DispatchAsync(List<(long Number, IndexItem Item)> batch, List<Task> inFlight, CancellationToken stop)
    {
        while (true)
        {
            for (var i = inFlight.Count - 1; i >= 0; i--)
            {
                if (inFlight[i].IsCompleted)
                {
                    var done = inFlight[i];
                    inFlight.RemoveAt(i);
                    await done.ConfigureAwait(false);
                }
            }
            if (inFlight.Count < options.Parallel)
            {
                break;
            }
            await Task.WhenAny(inFlight).ConfigureAwait(false);
        }
        if (stop.IsCancellationRequested || _stopAtBadRow)
        {
            return false;
        }
        inFlight.Add(Task.Run(() => SendAsync(batch), CancellationToken.None));
        return true;
    }

    private async Task SendAsync(List<(long Number, IndexItem Item)> batch)
    {
        while (batch.Count > 0)
        {
            // In flight means finished: a stop request does not cut a batch off half-sent.
            var detail = await add([.. batch.Select(b => b.Item)], CancellationToken.None).ConfigureAwait(false);
            if (detail is null)
            {
                Counters.AddStored(batch.Count);
                return;
            }
            var named = ItemError().Match(detail);
            var j = named.Success ? int.Parse(named.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
            if (j < 0 || j >= batch.Count)
            {
                throw new CliException($"the service refused a batch: {detail}");
            }
            Reject(batch[j].Number, named.Groups[2].Value);
            if (options.Strict)
            {
                _stopAtBadRow = true;
                return;
            }
            batch.RemoveAt(j);
        }
    }

    private void Reject(long number, string message)
    {
        Counters.AddRejected();
        lock (_errors)
        {
            if (_errors.Count < KeptErrors)
            {
                _errors.Add(new RowError(number, message));
            }
        }
    }

    [GeneratedRegex(@"^items\[(\d+)\]: (.*)$", RegexOptions.Singleline)]
    private static partial Regex ItemError();
}

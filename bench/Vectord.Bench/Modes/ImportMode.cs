using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using Spectre.Console;
using Vectord.Bench.Common;
using Vectord.Bench.Data;
using Vectord.Bench.Service;
using Vectord.Cli;
using static Vectord.Bench.Service.ServiceWork;

namespace Vectord.Bench.Modes;

/// <summary>
/// The <c>vectord import</c> tool against the <c>http</c> mode's ingest, on one silo with the HTTP API, in the same
/// run: in each round the http mode's ingest (add bodies serialised before timing, posted one after the other) builds
/// one fresh index, then <c>vectord import</c> of the fashion-mnist IDX file (read, parsed and sent by the tool, through
/// its own entry point) builds another. The ratio is the tool's rate over the http rate, the median of the rounds'.
/// Goal: at least 0.9× — the tool is not the bottleneck.
/// </summary>
internal sealed class ImportMode(TextWriter? output = null) : IBenchMode
{
    public const double Goal = 0.9;

    private readonly TextWriter _output = output ?? Console.Out;

    public string Name => "import";

    public string Summary => "vectord import of the fashion-mnist IDX file vs the http mode's ingest of the same data (goal >= 0.9x)";

    public string Usage => ServiceOptions.CommonUsage + """
          --parallel N            the tool's add requests in flight                                  [4]
          --rounds N              rounds of (http ingest, tool import); the ratio is their median     [3]
        """;

    public async Task<int> RunAsync(BenchArgs args, CancellationToken cancellationToken)
    {
        var options = ServiceOptions.Read(args, search: false);
        var parallel = args.GetInt("parallel", 4, min: 1, max: 64);
        var roundCount = args.GetInt("rounds", 3, min: 1, max: 20);
        args.EnsureAllUsed();
        if (options.M != 16)
        {
            throw new UsageException("--m: the tool creates indexes with the default M (16)");
        }
        var output = _output;
        var dataset = options.LoadDataset();
        var n = dataset.Base.Length;
        var spec = options.Spec(dataset.Dimension);
        var addBodies = GrainBatches(dataset, options.Batch).Select(HttpBodies.Add).ToArray();
        using var files = new TempFiles();
        // The installed file as it is; a --limit slice is written as an IDX file of those images.
        var file = options.Limit is null ? DatasetCatalog.FashionMnistTrainFile(options.DatasetDirectory) : files.Idx(dataset.Base, "slice");
        var warmFile = files.Idx(dataset.Base[..Math.Min(n, 2000)], "warmup");
        output.WriteLine(Invariant($"dataset     {dataset.Name}: {n} vectors, dim {dataset.Dimension}, batches of {options.Batch}; the tool reads {file}, {parallel} requests in flight"));

        using var lease = options.OpenStorage();
        await using var silo = await BenchSilo.StartWithHttpAsync(lease.Storage, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = silo.HttpAddress, Timeout = TimeSpan.FromMinutes(2) };
        output.WriteLine($"server      silo + HTTP API on {http.BaseAddress}, storage {lease.Storage.Describe()}");

        // Warm-up of both paths on a small slice (JIT, first activation, connections); the indexes are dropped.
        var take = Math.Max(1, Math.Min(addBodies.Length, 2000 / options.Batch));
        var warmHttp = ServiceOptions.NewIndexName("warmup");
        await HttpMode.IngestHttpAsync(http, warmHttp, spec, addBodies[..take], cancellationToken).ConfigureAwait(false);
        await DropAsync(http, warmHttp, cancellationToken).ConfigureAwait(false);
        var warmTool = ServiceOptions.NewIndexName("warmup");
        await ImportAsync(http, warmFile, warmTool, options, parallel, cancellationToken).ConfigureAwait(false);
        await DropAsync(http, warmTool, cancellationToken).ConfigureAwait(false);

        var rounds = new ImportRound[roundCount];
        for (var r = 0; r < roundCount; r++)
        {
            Timing.SettleMemory();
            var httpName = ServiceOptions.NewIndexName("http");
            var httpSeconds = await HttpMode.IngestHttpAsync(http, httpName, spec, addBodies, cancellationToken).ConfigureAwait(false);
            await DropAsync(http, httpName, cancellationToken).ConfigureAwait(false);
            Timing.SettleMemory();
            var toolName = ServiceOptions.NewIndexName(Name);
            var toolSeconds = await ImportAsync(http, file, toolName, options, parallel, cancellationToken).ConfigureAwait(false);
            await ExpectLengthAsync(http, toolName, n, cancellationToken).ConfigureAwait(false);
            await DropAsync(http, toolName, cancellationToken).ConfigureAwait(false);
            rounds[r] = new ImportRound(n / httpSeconds, n / toolSeconds);
            output.WriteLine(Invariant($"round {r + 1,-5} http ingest {httpSeconds:F2} s ({rounds[r].HttpRate:F0} vectors/s), vectord import {toolSeconds:F2} s ({rounds[r].ToolRate:F0} vectors/s), {rounds[r].Ratio:F2}x"));
        }
        var ratio = Median(rounds.Select(x => x.Ratio));
        var httpRate = Median(rounds.Select(x => x.HttpRate));
        var toolRate = Median(rounds.Select(x => x.ToolRate));
        var load = LoadAverage();
        output.WriteLine();
        var table = new TextTable(new("figure", 30, false), new("tool", 8), new("http", 8), new("ratio", 6), new("goal", 6), new("verdict", 7, false));
        table.WriteHeader(output);
        table.WriteRow(output, "import vectors/s / http ingest", Invariant($"{toolRate:F0}"), Invariant($"{httpRate:F0}"), Invariant($"{ratio:F2}x"),
            Invariant($">={Goal:F1}x"), Verdict(ratio >= Goal));
        output.WriteLine(Invariant($"medians of {roundCount} rounds; ratio per round {string.Join(" ", rounds.Select(x => x.Ratio.ToString("F2", CultureInfo.InvariantCulture)))}; load average {load:F1}"));
        if (options.JsonPath is not null)
        {
            JsonLines.Append(options.JsonPath, new ImportResult(Name, dataset.Name, options.DistanceName, n, dataset.Dimension, options.Batch, parallel,
                roundCount, Math.Round(httpRate, 1), Math.Round(toolRate, 1), Math.Round(ratio, 3), [.. rounds.Select(x => Math.Round(x.Ratio, 3))],
                Goal, ratio >= Goal, Math.Round(load, 2)));
        }
        return 0;
    }

    /// <summary>Runs <c>vectord import FILE --index NAME --create ...</c> through the tool's entry point, its output
    /// discarded; returns the seconds it took, from the command line to its exit.</summary>
    private static async Task<double> ImportAsync(HttpClient http, string file, string name, ServiceOptions options, int parallel,
        CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(TextWriter.Null),
        });
        string[] line = ["import", file, "--index", name, "--create", "--distance", options.DistanceName,
            "--batch", options.Batch.ToString(CultureInfo.InvariantCulture), "--parallel", parallel.ToString(CultureInfo.InvariantCulture),
            "--url", http.BaseAddress!.ToString()];
        var start = Stopwatch.GetTimestamp();
        var exit = await Vectord.Cli.VectordApp.RunAsync(line, new CliContext(console, _ => null), cancellationToken).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (exit != ExitCodes.Success)
        {
            throw new BenchException($"vectord {string.Join(' ', line)} exited with {exit}");
        }
        return seconds;
    }

    private static async Task ExpectLengthAsync(HttpClient http, string name, int n, CancellationToken cancellationToken)
    {
        var json = await http.GetStringAsync(new Uri("vectors/index/" + name, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var length = document.RootElement.GetProperty("length").GetInt32();
        if (length != n)
        {
            throw new BenchException($"vectord import left {length} items in {name}, expected {n}");
        }
    }

    private static async Task DropAsync(HttpClient http, string name, CancellationToken cancellationToken)
    {
        using var drop = await http.DeleteAsync(new Uri("vectors/index/" + name, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        HttpMode.Expect(drop, HttpStatusCode.NoContent, "DELETE index");
    }

    /// <summary>IDX image files (uncompressed) written for a run, deleted with their directory on dispose.</summary>
    private sealed class TempFiles : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("vectord-bench-import-").FullName;

        /// <summary>Writes <paramref name="images"/> (byte-valued components) as a one-row-per-image IDX file.</summary>
        public string Idx(float[][] images, string stem)
        {
            var path = Path.Combine(_directory, stem + "-idx3-ubyte");
            using var file = File.Create(path);
            Span<byte> header = stackalloc byte[16];
            BinaryPrimitives.WriteInt32BigEndian(header, 0x00000803);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], images.Length);
            BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
            BinaryPrimitives.WriteInt32BigEndian(header[12..], images[0].Length);
            file.Write(header);
            foreach (var image in images)
            {
                file.Write([.. image.Select(x => (byte)x)]);
            }
            return path;
        }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>One round of the <c>import</c> mode: the http mode's ingest rate and the tool's, on fresh indexes.</summary>
internal readonly record struct ImportRound(double HttpRate, double ToolRate)
{
    public double Ratio => ToolRate / HttpRate;
}

/// <summary>One JSON line of the <c>import</c> mode (figures are medians over the rounds).</summary>
internal sealed record ImportResult(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("distance")] string Distance,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("parallel")] int Parallel,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("http_vectors_per_second")] double HttpVectorsPerSecond,
    [property: JsonPropertyName("import_vectors_per_second")] double ImportVectorsPerSecond,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("ratio_rounds")] double[] RatioRounds,
    [property: JsonPropertyName("goal")] double Goal,
    [property: JsonPropertyName("goal_met")] bool GoalMet,
    [property: JsonPropertyName("load_average")] double LoadAverage);

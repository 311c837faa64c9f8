using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Cli.Formats;
using Vectord.Contracts;

namespace Vectord.Cli.Commands;

/// <summary>The command line of <c>vectord import</c>.</summary>
internal sealed class ImportSettings : ServiceSettings
{
    /// <summary>The file to import.</summary>
    [CommandArgument(0, "<FILE>")]
    [Description("The file: .jsonl/.ndjson, .csv, .npy, .fvecs, .bvecs or IDX (*-idx3-ubyte, .idx), each optionally .gz")]
    public string File { get; init; } = "";

    /// <summary>The target index.</summary>
    [CommandOption("--index <NAME>", isRequired: true)]
    [Description("The index to add the items to")]
    public string Index { get; init; } = "";

    /// <summary>The format, when the file's name does not tell it.</summary>
    [CommandOption("--format <FORMAT>")]
    [Description("jsonl, csv, npy, fvecs, bvecs or idx (default: from the file name)")]
    public VectorFormat? Format { get; init; }

    /// <summary>Create the index when it does not exist.</summary>
    [CommandOption("--create")]
    [Description("Create the index when it does not exist")]
    public bool Create { get; init; }

    /// <summary>Dimension of a created index.</summary>
    [CommandOption("--dimension <D>")]
    [Description("Dimension of a created index (default: the file's first vector's)")]
    public int? Dimension { get; init; }

    /// <summary>Distance of a created index.</summary>
    [CommandOption("--distance <DISTANCE>")]
    [Description("Distance of a created index: cosine, euclidean or dot (default: cosine)")]
    public string? Distance { get; init; }

    /// <summary>Quantization of a created index.</summary>
    [CommandOption("--quantization <Q>")]
    [Description("Quantization of a created index: none or int8 (default: none)")]
    public string? Quantization { get; init; }

    /// <summary>Keep the float vectors of a created index in a memory-mapped file.</summary>
    [CommandOption("--on-disk")]
    [Description("Keep the float vectors of a created index in a memory-mapped file on the node, only the graph (and codes) in memory")]
    public bool OnDisk { get; init; }

    /// <summary>Shards of a created index.</summary>
    [CommandOption("--shards <N>")]
    [Description("Shards of a created index (default: 1)")]
    public int? Shards { get; init; }

    /// <summary>Copies of each shard of a created index.</summary>
    [CommandOption("--replicas <N>")]
    [Description("Copies of each shard of a created index, each on another node: 1-8, at most the cluster's node count (default: 1)")]
    public int? Replicas { get; init; }

    /// <summary>The id field or column.</summary>
    [CommandOption("--id-field <FIELD>")]
    [Description("JSONL field / CSV column holding the id")]
    [DefaultValue(FieldNames.DefaultId)]
    public string IdField { get; init; } = FieldNames.DefaultId;

    /// <summary>The vector field or column (prefix).</summary>
    [CommandOption("--vector-field <FIELD>")]
    [Description("JSONL field / CSV column holding the vector (CSV: or columns FIELD0, FIELD1, ...)")]
    [DefaultValue(FieldNames.DefaultVector)]
    public string VectorField { get; init; } = FieldNames.DefaultVector;

    /// <summary>Items per request.</summary>
    [CommandOption("--batch <N>")]
    [Description("Items per add request")]
    [DefaultValue(500)]
    public int Batch { get; init; } = 500;

    /// <summary>Requests in flight.</summary>
    [CommandOption("--parallel <N>")]
    [Description("Add requests in flight at once")]
    [DefaultValue(4)]
    public int Parallel { get; init; } = 4;

    /// <summary>Stop at the first bad row.</summary>
    [CommandOption("--strict")]
    [Description("Stop at the first bad row (default: report it and skip it)")]
    public bool Strict { get; init; }

    /// <summary>Skip ids already in the index.</summary>
    [CommandOption("--resume")]
    [Description("Skip the ids the index already holds (to continue an interrupted import)")]
    public bool Resume { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed)
        {
            return failed;
        }
        if (Format is null && VectorFiles.Detect(File) is null)
        {
            return ValidationResult.Error($"cannot tell the format of {File} from its name: pass --format");
        }
        try
        {
            DistanceNames.Parse(Distance);
        }
        catch (InvalidIndexArgumentException e)
        {
            return ValidationResult.Error($"--distance: {e.Message}");
        }
        try
        {
            QuantizationNames.Parse(Quantization);
        }
        catch (InvalidIndexArgumentException e)
        {
            return ValidationResult.Error($"--quantization: {e.Message}");
        }
        return (Batch, Parallel, Dimension, Shards, Replicas) switch
        {
            ( < 1 or > ItemLimits.MaxBatchItems, _, _, _, _) => ValidationResult.Error($"--batch must be 1 to {ItemLimits.MaxBatchItems}"),
            (_, < 1 or > 64, _, _, _) => ValidationResult.Error("--parallel must be 1 to 64"),
            (_, _, < 1 or > IndexLimits.MaxDimension, _, _) => ValidationResult.Error($"--dimension must be 1 to {IndexLimits.MaxDimension}"),
            (_, _, _, < 1 or > IndexLimits.MaxShards, _) => ValidationResult.Error($"--shards must be 1 to {IndexLimits.MaxShards}"),
            (_, _, _, _, < 1 or > IndexLimits.MaxReplicas) => ValidationResult.Error($"--replicas must be 1 to {IndexLimits.MaxReplicas}"),
            _ when !Create && (Dimension is not null || Shards is not null || Replicas is not null || Distance is not null || Quantization is not null || OnDisk) =>
                ValidationResult.Error("--dimension, --distance, --quantization, --shards, --replicas and --on-disk apply to a created index: add --create"),
            _ => ValidationResult.Success(),
        };
    }
}

namespace Vectord.Cli.Formats;

/// <summary>The file formats <c>vectord import</c> reads.</summary>
internal enum VectorFormat
{
    /// <summary>JSON Lines (<c>.jsonl</c>, <c>.ndjson</c>).</summary>
    Jsonl,

    /// <summary>Comma-separated values with a header (<c>.csv</c>).</summary>
    Csv,

    /// <summary>A NumPy 2-D float32/float64 array (<c>.npy</c>).</summary>
    Npy,

    /// <summary>ann-benchmarks float vectors (<c>.fvecs</c>).</summary>
    Fvecs,

    /// <summary>ann-benchmarks byte vectors (<c>.bvecs</c>).</summary>
    Bvecs,

    /// <summary>IDX (the MNIST files, <c>*-idx3-ubyte</c>, <c>.idx</c>).</summary>
    Idx,
}

/// <summary>Tells a file's format and opens the reader for it.</summary>
internal static class VectorFiles
{
    /// <summary>The format a file name says, looking past a <c>.gz</c> suffix; null when it says none.</summary>
    public static VectorFormat? Detect(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            name = name[..^3];
        }
        return Path.GetExtension(name) switch
        {
            ".jsonl" or ".ndjson" => VectorFormat.Jsonl,
            ".csv" => VectorFormat.Csv,
            ".npy" => VectorFormat.Npy,
            ".fvecs" => VectorFormat.Fvecs,
            ".bvecs" => VectorFormat.Bvecs,
            ".idx" => VectorFormat.Idx,
            _ when name.Contains("-idx", StringComparison.Ordinal) && name.EndsWith("ubyte", StringComparison.Ordinal) => VectorFormat.Idx,
            _ => null,
        };
    }

    /// <summary>Opens <paramref name="path"/> as <paramref name="format"/>.</summary>
    /// <exception cref="InvalidDataException">The file's header does not fit the format.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static VectorFileReader Open(string path, VectorFormat format, FieldNames fields)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return format switch
            {
                VectorFormat.Jsonl => new JsonlReader(file, fields),
                VectorFormat.Csv => new CsvReader(file, fields),
                VectorFormat.Npy => new NpyReader(file),
                VectorFormat.Fvecs => new VecsReader(file, bytes: false),
                VectorFormat.Bvecs => new VecsReader(file, bytes: true),
                _ => new IdxReader(file),
            };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}

namespace Vectord.Hnsw.Tests;

/// <summary>The golden files under Golden/ (see <see cref="GoldenFileGenerator"/>), as the tests find them.</summary>
internal static class GoldenFiles
{
    /// <summary>Where the golden file <paramref name="name"/> is beside the test assembly.</summary>
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", name);

    /// <summary>The index saved in the file at <paramref name="path"/>.</summary>
    public static HnswIndex Load(string path)
    {
        using FileStream file = File.OpenRead(path);
        return HnswIndex.Load(file);
    }
}

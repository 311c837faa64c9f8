namespace Vectord.Testing;

/// <summary>Locates the repository and the build outputs of its projects from a test's base directory.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (the directory holding Vectord.sln).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vectord.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Vectord.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// The built entry assembly of a project (e.g. <c>Vectord.Silo</c>) in the same configuration as the running
    /// tests, under the repository's artifacts folder.
    /// </summary>
    public static string ProjectDll(string project)
    {
        // Tests run from artifacts/bin/<test project>/<config>/, so the configuration is the base directory's name.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(Root, "artifacts", "bin", project, configuration, project + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is not built: build Vectord.sln in {configuration} first");
        }
        return path;
    }
}

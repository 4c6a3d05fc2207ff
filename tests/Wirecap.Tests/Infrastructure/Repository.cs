namespace Wirecap.Testing;

/// <summary>
/// The checkout the tests and benchmarks run from: the directory holding Capture.sln, found upwards
/// from the binaries (or, for a benchmark started elsewhere, from the current directory). Shared by
/// the test project and the benchmark project (linked source).
/// </summary>
public static class Repository
{
    private static readonly Lazy<string> s_root = new(Find);

    /// <summary>The repository root.</summary>
    public static string Root => s_root.Value;

    /// <summary>The sample capture the repository ships (samples/sample.pcapng).</summary>
    public static string SamplePath => System.IO.Path.Combine(Root, "samples", "sample.pcapng");

    /// <summary>A path inside the repository.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Capture.sln")))
                    return dir.FullName;
        throw new DirectoryNotFoundException(
            $"cannot find the repository root (Capture.sln) above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}");
    }
}

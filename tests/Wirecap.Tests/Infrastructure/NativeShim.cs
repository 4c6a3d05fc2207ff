namespace Wirecap.Tests.Infrastructure;

/// <summary>
/// The small C programs in native-shims/ (oracles over libpcap and the kernel). build.sh compiles
/// them into native-shims/bin/; a test that runs before that (or after the source changed)
/// compiles the one it needs the same way, so it never runs a stale oracle.
/// </summary>
public static class NativeShim
{
    private static readonly object BuildLock = new();

    /// <summary>Path of the executable for native-shims/<paramref name="name"/>.c, built if missing or older than its source.</summary>
    public static string Path(string name)
    {
        string root = RepositoryRoot();
        string source = System.IO.Path.Combine(root, "native-shims", name + ".c");
        string binary = System.IO.Path.Combine(root, "native-shims", "bin", name);
        if (!File.Exists(source)) throw new FileNotFoundException($"no native shim source {source}");
        lock (BuildLock)
        {
            if (!File.Exists(binary) || File.GetLastWriteTimeUtc(binary) < File.GetLastWriteTimeUtc(source))
            {
                Tool.Require("gcc");
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(binary)!);
                Tool.RunOk("gcc", $"-O2 -Wall -Werror -o {binary} {source} -lpcap");
            }
        }
        return binary;
    }

    /// <summary>The checkout holding Capture.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Capture.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no Capture.sln above {AppContext.BaseDirectory}");
    }
}

using NUnit.Framework;

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
        string source = Repository.Path("native-shims", name + ".c");
        string binary = Repository.Path("native-shims", "bin", name);
        if (!File.Exists(source)) throw new FileNotFoundException($"no native shim source {source}");
        lock (BuildLock)
        {
            if (!File.Exists(binary) || File.GetLastWriteTimeUtc(binary) < File.GetLastWriteTimeUtc(source))
            {
                Tool.Require("gcc");
                if (!File.Exists("/usr/include/pcap/pcap.h"))
                {
                    const string reason = "libpcap-dev is not installed (./build.sh test installs it)";
                    if (Privilege.Required) Assert.Fail(reason);
                    Assert.Ignore(reason);
                }
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(binary)!);
                Tool.RunOk("gcc", $"-O2 -Wall -Werror -o \"{binary}\" \"{source}\" -lpcap");
            }
        }
        return binary;
    }
}

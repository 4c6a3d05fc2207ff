using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Formats;

/// <summary>
/// The small C programs over libpcap in native-shims/ (built by ./build.sh into native-shims/bin/;
/// built here too when missing, so a plain dotnet test works).
/// </summary>
public static class NativeShim
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Capture.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("cannot find the repository root (Capture.sln) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Path of a built shim, compiling it first if needed.</summary>
    public static string Require(string name)
    {
        var root = RepositoryRoot;
        var source = Path.Combine(root, "native-shims", name + ".c");
        var binary = Path.Combine(root, "native-shims", "bin", name);
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source)) return binary;
        Tool.Require("gcc");
        if (!File.Exists("/usr/include/pcap/pcap.h"))
        {
            if (Privilege.Required) NUnit.Framework.Assert.Fail("libpcap-dev is not installed");
            NUnit.Framework.Assert.Ignore("libpcap-dev is not installed (./build.sh test installs it)");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        Tool.RunOk("gcc", $"-O2 -Wall -Werror -o \"{binary}\" \"{source}\" -lpcap");
        return binary;
    }
}

/// <summary>What libpcap (pcap_next_ex, nanosecond precision) reports for a file.</summary>
public sealed record LibpcapView(int Dlt, int SnapLength, List<PeerFrame> Frames, int ExitCode, string Error)
{
    public static LibpcapView Read(string path)
    {
        var (code, stdout, stderr) = Tool.Run(NativeShim.Require("pcap_frames"), $"\"{path}\"");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int dlt = -1, snap = -1;
        var frames = new List<PeerFrame>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts[0] == "linktype")
            {
                dlt = int.Parse(parts[1]);
                snap = int.Parse(parts[3]);
                continue;
            }
            frames.Add(new PeerFrame(parts[0], int.Parse(parts[2]), int.Parse(parts[1]), 0, parts.Length > 3 ? parts[3] : "", ""));
        }
        return new LibpcapView(dlt, snap, frames, code, stderr.Trim());
    }
}

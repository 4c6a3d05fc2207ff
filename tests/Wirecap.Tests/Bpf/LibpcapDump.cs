using Wirecap.Bpf;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// libpcap's own bpf_dump() (tcpdump -d/-dd/-ddd) through native-shims/bpf-dump.c, built by
/// ./build.sh; compiled here on demand when the binary is missing.
/// </summary>
public static class LibpcapDump
{
    private static readonly Lazy<string> s_binary = new(Locate);

    public static string Dump(ReadOnlySpan<BpfInstruction> program, BpfTextFormat format)
    {
        string input = BpfDisassembler.Format(program, BpfTextFormat.Decimal);
        int option = format switch { BpfTextFormat.Listing => 1, BpfTextFormat.CArray => 2, _ => 3 };
        return Tool.RunOk(s_binary.Value, option.ToString(), input);
    }

    private static string Locate()
    {
        string? dir = TestContext.CurrentContext.TestDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Capture.sln")))
            dir = Path.GetDirectoryName(dir);
        if (dir is null)
            Assert.Fail("cannot find the repository root (Capture.sln) above the test directory");
        string source = Path.Combine(dir!, "native-shims", "bpf-dump.c");
        string binary = Path.Combine(dir!, "native-shims", "bin", "bpf-dump");
        if (!File.Exists(binary) || File.GetLastWriteTimeUtc(binary) < File.GetLastWriteTimeUtc(source))
        {
            Tool.Require("gcc");
            Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
            Tool.RunOk("gcc", $"-O2 -Wall -Werror -o \"{binary}\" \"{source}\" -lpcap");
        }
        return binary;
    }
}

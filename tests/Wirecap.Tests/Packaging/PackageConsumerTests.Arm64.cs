using NUnit.Framework;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Packaging;

/// <summary>
/// The linux-arm64 tool package, cross-compiled with NativeAOT on an x64 machine (src/Wirecap.Cli/NativeAotCrossCompile.props):
/// it must hold an aarch64 executable, and that executable, run under qemu-user, must do what the x64 one does, byte
/// for byte. There is no arm64 machine here, and <c>dotnet tool install --arch arm64</c> is refused on Linux, so the
/// binary is taken from the package as the installer would lay it out.
/// </summary>
public sealed partial class PackageConsumerTests
{
    private const ushort ElfMachineX86_64 = 62;
    private const ushort ElfMachineAArch64 = 183;

    /// <summary>Why the linux-arm64 package was not packed here, or null when it was (or this machine is arm64).</summary>
    private string? _crossCompileSkipped;

    /// <summary>
    /// This machine's RID, and on linux-x64 also linux-arm64 (as build.sh's native_tool_rids). The cross toolchain is
    /// installed by ./build.sh test; without it the arm64 package is left out (with the reason), except under
    /// CAPTURE_REQUIRE_PRIVILEGED=1 (CI), where the pack runs and its error names the missing Debian packages.
    /// </summary>
    private static string[] NativeRidsBuiltHere(out string? crossCompileSkipped)
    {
        crossCompileSkipped = null;
        if (HostRid != "linux-x64") return [HostRid];
        string[] missing = new[] { "clang", "aarch64-linux-gnu-ld.bfd", "aarch64-linux-gnu-objcopy" }.Where(t => !Tool.Exists(t)).ToArray();
        if (missing.Length == 0 || Privilege.Required) return [HostRid, "linux-arm64"];
        crossCompileSkipped = $"the linux-arm64 package needs {string.Join(", ", missing)} to cross-compile (./build.sh test installs them)";
        return [HostRid];
    }

    [Test]
    public void The_arm64_package_is_an_aarch64_binary_that_under_qemu_prints_filters_and_writes_the_sample_as_the_x64_one()
    {
        if (HostRid != "linux-x64") Assert.Ignore($"the cross-compiled package is made on linux-x64 machines; this one is {HostRid}");
        if (_crossCompileSkipped is not null) Assert.Ignore(_crossCompileSkipped);
        Tool.Require("qemu-aarch64");
        string arm64 = UnpackNativeTool("linux-arm64");
        string x64 = UnpackNativeTool("linux-x64");
        Assert.That(ElfMachine(arm64), Is.EqualTo(ElfMachineAArch64), "e_machine of the linux-arm64 package's executable");
        Assert.That(ElfMachine(x64), Is.EqualTo(ElfMachineX86_64), "e_machine of the linux-x64 package's executable");

        // qemu-aarch64 refuses an x64 executable ("Invalid ELF image for this architecture"), so what runs below is aarch64
        // code; -L points its dynamic loader at the aarch64 C library of Debian's cross packages.
        var utc = new Dictionary<string, string?> { ["TZ"] = "UTC" };
        (int ExitCode, string StdOut, string StdErr) RunArm64(string arguments) =>
            Tool.Run("qemu-aarch64", $"-L /usr/aarch64-linux-gnu \"{arm64}\" {arguments}", environment: utc);
        (int ExitCode, string StdOut, string StdErr) RunX64(string arguments) => Tool.Run(x64, arguments, environment: utc);
        int Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

        string sample = $"\"{Repository.SamplePath}\"";
        var printed = new Dictionary<string, string>();
        foreach (string arguments in new[] { "--version", $"-n -r {sample}", $"-n -r {sample} udp", $"-v -n -r {sample} \"tcp or icmp\"" })
        {
            var fromArm64 = RunArm64(arguments);
            Assert.That(fromArm64.ExitCode, Is.Zero, $"arm64 {arguments}: {fromArm64.StdErr}");
            var fromX64 = RunX64(arguments);
            Assert.That(fromX64.ExitCode, Is.Zero, $"x64 {arguments}: {fromX64.StdErr}");
            Assert.That((fromArm64.StdOut, fromArm64.StdErr), Is.EqualTo((fromX64.StdOut, fromX64.StdErr)), $"arm64 against x64: {arguments}");
            printed[arguments] = fromArm64.StdOut;
        }
        Assert.That(printed["--version"], Does.Contain("interpreter (NativeAOT)"));
        int all = Lines(printed[$"-n -r {sample}"]), udp = Lines(printed[$"-n -r {sample} udp"]);
        Assert.That(udp, Is.GreaterThan(0).And.LessThan(all), "the filter keeps some packets of the sample and drops others");

        // Writers too: a filtered pcap and the NCAP conversion come out byte-identical.
        foreach (string output in new[] { "kept.pcap", "all.ncap" })
        {
            string filter = output.EndsWith(".pcap", StringComparison.Ordinal) ? "\"tcp or icmp\"" : "";
            string fromArm64 = Path.Combine(_work, "arm64-" + output), fromX64 = Path.Combine(_work, "x64-" + output);
            var arm64Run = RunArm64($"-r {sample} -w \"{fromArm64}\" {filter}");
            Assert.That(arm64Run.ExitCode, Is.Zero, arm64Run.StdErr);
            var x64Run = RunX64($"-r {sample} -w \"{fromX64}\" {filter}");
            Assert.That(x64Run.ExitCode, Is.Zero, x64Run.StdErr);
            Assert.That(new FileInfo(fromArm64).Length, Is.GreaterThan(100), output);
            Assert.That(File.ReadAllBytes(fromArm64), Is.EqualTo(File.ReadAllBytes(fromX64)), output);
        }
    }

    /// <summary>Unpacks Wirecap.Cli.RID from the feed and returns its executable, made executable as the tool installer does.</summary>
    private string UnpackNativeTool(string rid)
    {
        string unpacked = Path.Combine(_work, "unpacked-" + rid);
        if (!Directory.Exists(unpacked))
            System.IO.Compression.ZipFile.ExtractToDirectory(Path.Combine(_feed, $"Wirecap.Cli.{rid}.{_version}.nupkg"), unpacked);
        string directory = Path.Combine(unpacked, "tools", "any", rid);
        Assert.That(File.Exists(Path.Combine(directory, "Wirecap.Cli.dll")), Is.False, $"{rid}: a NativeAOT package ships no IL to run");
        string binary = Path.Combine(directory, "Wirecap.Cli");
        File.SetUnixFileMode(binary, File.GetUnixFileMode(binary) | UnixFileMode.UserExecute);
        return binary;
    }

    /// <summary>e_machine of a 64-bit little-endian ELF file (ELF header: magic, class, data at 0-5; e_machine at 18).</summary>
    private static ushort ElfMachine(string path)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(path)) file.ReadExactly(header);
        Assert.That(header.AsSpan(0, 4).ToArray(), Is.EqualTo(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }), path);
        Assert.That((header[4], header[5]), Is.EqualTo(((byte)2, (byte)1)), $"{path}: ELFCLASS64, little-endian");
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18, 2));
    }
}

using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>
/// tcpdump's printing flags (-v, -vv, -vvv, -K, -S, -X, -XX, -A, -AA, -#, -N, -l and their mixes with -e, -q, -x, -t)
/// print what Debian's <c>tcpdump -n</c> prints with the same flags, line for line: on crafted frames of every protocol
/// the printer claims (<see cref="VerboseCaptures"/>), and (in <see cref="PrinterFlagsTests"/>) on the shipped sample.
/// </summary>
public sealed class TcpdumpFlagsTests : TempDirectoryFixture
{
    internal static readonly string[][] FlagSets =
    [
        ["-v"], ["-vv"], ["-vvv"], ["-v", "-K"], ["-vv", "-K"], ["-S"], ["-vv", "-S"], ["-X"], ["-XX"], ["-A"], ["-AA"], ["-#"],
        ["-N"], ["-l"], ["-x", "-A"], ["-X", "-x"], ["-A", "-XX"], ["-e", "-v"], ["-q", "-v"], ["-vv", "-e", "-X"], ["-#", "-v", "-tttt"],
        ["-vvv", "-x", "-S", "-#"], ["-v", "-q", "-A", "-tt"],
    ];

    [TestCaseSource(nameof(FlagSets))]
    public void CraftedFramesPrintAsTcpdumpPrintsThem(string[] flags)
    {
        string file = Path.Combine(TempDir, "verbose.pcap");
        VerboseCaptures.Write(file);
        var (ours, theirs) = PrinterFlagsTests.BothPrint(file, flags);
        Assert.That(ours.Split('\n'), Is.EqualTo(theirs.Split('\n')));
    }

    /// <summary>The flags change what is printed: a test of them that passes with the flags ignored proves nothing.</summary>
    [Test]
    public void EachFlagChangesTheOutput()
    {
        string file = Path.Combine(TempDir, "verbose.pcap");
        VerboseCaptures.Write(file);
        string plain = CliRunner.Run(["-n", "-r", file]).StdOut;
        foreach (var flag in new[] { "-v", "-S", "-X", "-XX", "-A", "-AA", "-#" })
            Assert.That(CliRunner.Run(["-n", flag, "-r", file]).StdOut, Is.Not.EqualTo(plain), flag);
        Assert.That(CliRunner.Run(["-n", "-vv", "-K", "-r", file]).StdOut, Is.Not.EqualTo(CliRunner.Run(["-n", "-vv", "-r", file]).StdOut), "-K");
        Assert.That(CliRunner.Run(["-n", "-vvv", "-r", file]).StdOut, Is.Not.EqualTo(CliRunner.Run(["-n", "-vv", "-r", file]).StdOut), "-vvv");
    }
}

using Wirecap.Cli;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>-F (an expression file), -L (an interface's link types) and -l (line-buffered output) as tcpdump has them.</summary>
public sealed class TcpdumpOptionsTests : TempDirectoryFixture
{
    [Test]
    public void AnExpressionFileFiltersAsTcpdumpFiltersWithIt()
    {
        Tool.Require("tcpdump");
        string file = Path.Combine(TempDir, "filter");
        File.WriteAllText(file, "icmp   # echo requests and replies\n  or arp # and who-has\n");
        var tcpdump = Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump -n -F {file} -r {Repository.SamplePath}");
        var ours = CliRunner.Run(["-n", "-F", file, "-r", Repository.SamplePath]);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        Assert.That(ours.StdOut, Is.EqualTo(tcpdump.StdOut));
        Assert.That(ours.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(6));
    }

    /// <summary>tcpdump ignores an expression on the command line beside -F without a word; we refuse the pair.</summary>
    [Test]
    public void AnExpressionFileAndACommandLineExpressionAreRefused()
    {
        string file = Path.Combine(TempDir, "filter");
        File.WriteAllText(file, "icmp\n");
        var both = CliRunner.Run(["-F", file, "-r", Repository.SamplePath, "udp"]);
        Assert.That(both.ExitCode, Is.EqualTo(2));
        Assert.That(both.StdErr, Does.StartWith($"wirecap: -F {file} gives the filter expression; remove the one on the command line ('udp')"));
        var missing = CliRunner.Run(["-F", Path.Combine(TempDir, "none"), "-r", Repository.SamplePath]);
        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.StdErr, Does.StartWith($"wirecap: can't open {Path.Combine(TempDir, "none")}"));
    }

    [Test]
    public void LinkTypesOfLoopbackAreListedAsTcpdumpListsThem()
    {
        Tool.Require("tcpdump");
        var tcpdump = Tool.Run("tcpdump", "-L -i lo");
        if (tcpdump.ExitCode != 0) Assert.Ignore($"tcpdump -L -i lo: {tcpdump.StdErr}");
        var ours = CliRunner.Run(["-L", "-i", "lo"]);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        Assert.That((ours.StdOut, ours.StdErr), Is.EqualTo((tcpdump.StdOut, tcpdump.StdErr)), "tcpdump writes the list on standard error");
    }

    /// <summary>"any": we capture Linux cooked v2 only, so we list it alone, where tcpdump also lists cooked v1.</summary>
    [Test]
    public void LinkTypesOfAnyAreTheOnesWeCapture()
    {
        var ours = CliRunner.Run(["-L", "-i", "any"]);
        Assert.That(ours.StdErr, Is.EqualTo("Data link types for any (use option -y to set):\n  LINUX_SLL2 (Linux cooked v2)\n"));
        var missing = CliRunner.Run(["-L", "-i", "no-such-interface0"]);
        Assert.That((missing.ExitCode, missing.StdErr), Is.EqualTo((1, "wirecap: no-such-interface0: no such device exists\n")));
    }

    /// <summary>-l flushes standard output after each line; without it the printer writes in large blocks.</summary>
    [Test]
    public void LineBufferedOutputFlushesEachLine()
    {
        int Flushes(params string[] flags)
        {
            var output = new FlushCountingStream();
            int code = CaptureCommand.RunAsync([.. flags, "-r", Repository.SamplePath], () => Stream.Null, () => output, TextWriter.Null, TimeZoneInfo.Utc)
                .GetAwaiter().GetResult();
            Assert.That(code, Is.Zero);
            return output.Flushes;
        }
        Assert.That(Flushes("-l"), Is.GreaterThanOrEqualTo(25), "one flush per line of the sample");
        Assert.That(Flushes(), Is.LessThan(5));
    }

    private sealed class FlushCountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override void Flush()
        {
            Flushes++;
            base.Flush();
        }
    }
}

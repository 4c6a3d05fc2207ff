using Wirecap.Cli;
using Wirecap.Decoding;
using Wirecap.Formats;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

public class CliOptionsTests
{
    [Test]
    public void GroupedAndAttachedShortOptionsParseLikeTcpdump()
    {
        var o = CliOptions.Parse(["-nr", "in.pcap", "-c5", "-w", "out.ncap", "-tttt"]);
        Assert.Multiple(() =>
        {
            Assert.That(o.NoResolve, Is.True);
            Assert.That(o.ReadFile, Is.EqualTo("in.pcap"));
            Assert.That(o.Count, Is.EqualTo(5));
            Assert.That(o.WriteFile, Is.EqualTo("out.ncap"));
            Assert.That(o.TimestampStyle, Is.EqualTo(TimestampStyle.DateAndTime));
        });
    }

    [Test]
    public void LongOptionsTakeSeparateOrEqualsValues()
    {
        Assert.That(CliOptions.Parse(["--format", "pcapng"]).WriteFormat, Is.EqualTo(CaptureFormat.PcapNg));
        Assert.That(CliOptions.Parse(["--format=ncap"]).WriteFormat, Is.EqualTo(CaptureFormat.Ncap));
        Assert.That(CliOptions.Parse(["--time-stamp-precision=nano"]).Nanoseconds, Is.True);
    }

    [Test]
    public void NonOptionWordsAnywhereFormTheExpression()
    {
        var o = CliOptions.Parse(["-r", "x", "udp", "port", "53", "-n", "and", "not", "host", "10.0.0.1"]);
        Assert.That(o.Expression, Is.EqualTo("udp port 53 and not host 10.0.0.1"));
        Assert.That(o.NoResolve, Is.True);
        Assert.That(CliOptions.Parse(["-r", "x", "--", "-n"]).Expression, Is.EqualTo("-n"));
        Assert.That(CliOptions.Parse(["-r", "x"]).Expression, Is.Null);
    }

    [TestCase(new[] { "-z" }, "unknown option '-z'")]
    [TestCase(new[] { "--bogus" }, "unknown option '--bogus'")]
    [TestCase(new[] { "-r" }, "option '-r' needs a value")]
    [TestCase(new[] { "-c", "0" }, "invalid packet count '0'")]
    [TestCase(new[] { "-c", "x" }, "invalid packet count 'x'")]
    [TestCase(new[] { "--format", "cap" }, "unknown format 'cap'")]
    [TestCase(new[] { "--nano=1" }, "takes no value")]
    public void MistakesAreUsageErrors(string[] args, string message)
    {
        var e = Assert.Throws<CliUsageException>(() => CliOptions.Parse(args));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public void UsageErrorsExitWith2AndPrintTheUsage()
    {
        var (code, _, stderr, _) = CliRunner.Run(["-z"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("unknown option '-z'").And.Contain("usage: wirecap"));
        Assert.That(CliRunner.Run([]).ExitCode, Is.EqualTo(2), "no input");
    }

    [Test]
    public void HelpAndVersionExit0()
    {
        var help = CliRunner.Run(["-h"]);
        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.StdOut, Does.Contain("-r FILE").And.Contain("--format FORMAT").And.Not.Contain("make-sample"));
        Assert.That(CliRunner.Run(["--version"]).StdOut, Does.StartWith("wirecap version "));
    }
}

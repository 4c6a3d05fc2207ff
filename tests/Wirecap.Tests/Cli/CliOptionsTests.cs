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

    [TestCase("-z", "unknown option '-z'")]
    [TestCase("--bogus", "unknown option '--bogus'")]
    [TestCase("-nz", "unknown option '-z'")]
    public void AnUnknownOptionPrintsTheShortUsageAndExits1AsTcpdump(string arg, string message)
    {
        Assert.Throws<CliUnknownOptionException>(() => CliOptions.Parse([arg]));
        var (code, stdout, stderr, _) = CliRunner.Run([arg, "-r", "x"]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Is.Empty);
        var lines = stderr.Split('\n');
        Assert.That(lines[0], Is.EqualTo($"wirecap: {message}"));
        Assert.That(lines[1], Does.StartWith("Usage: wirecap [-AdDehKlLnNOpqStUvxX#] [ -r FILE ]"));
        Assert.That(lines, Has.Length.LessThan(12), "short: the flags and the options with values, not the help");
        Assert.That(stderr, Does.Contain("[ -F FILE ]").And.Contain("[ -i IFACE ]").And.Contain("[ expression ]").And.Contain("wirecap --help"));
    }

    [Test]
    public void OtherUsageErrorsExit2WithTheirMessage()
    {
        var (code, _, stderr, _) = CliRunner.Run(["-c", "0", "-r", "x"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Is.EqualTo("wirecap: invalid packet count '0'\n(wirecap --help lists every option)\n"));
        Assert.That(CliRunner.Run([]).ExitCode, Is.EqualTo(2), "no input");
    }

    /// <summary>--help lists every option that has a description, under its group's title.</summary>
    [Test]
    public void HelpListsEveryOptionGrouped()
    {
        var help = CliRunner.Run(["-h"]);
        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.StdOut, Does.Not.Contain("make-sample"));
        var titles = CliOptions.Groups.Select(g => g.Title + ":").ToList();
        Assert.That(titles, Has.Count.GreaterThanOrEqualTo(5));
        var lines = help.StdOut.Split('\n');
        foreach (var (title, options) in CliOptions.Groups)
        {
            int at = Array.IndexOf(lines, title + ":");
            Assert.That(at, Is.GreaterThan(0), title);
            var section = lines.Skip(at + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
            foreach (var option in options.Where(o => o.Description is not null))
            {
                string name = option.Short is not null ? "-" + option.Short : "--" + option.Long;
                Assert.That(section.Any(l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal) || l.TrimStart().StartsWith(name + ",", StringComparison.Ordinal)),
                    $"{name} under {title}");
            }
        }
        foreach (var flag in new[] { "-v", "-X", "-A", "-l", "-S", "-N", "-K", "-#, --number", "-L", "-F FILE", "--bpf-file FILE" })
            Assert.That(help.StdOut, Does.Contain("  " + flag), flag);
    }

    /// <summary>--version names the engine filters run on in this process: the IL compiler under the JIT (the NativeAOT
    /// build says "interpreter (NativeAOT)", checked by the publishing test).</summary>
    [Test]
    public void VersionNamesTheFilterEngine()
    {
        var version = CliRunner.Run(["--version"]);
        Assert.That(version.ExitCode, Is.Zero);
        Assert.That(version.StdOut, Does.Match(@"^wirecap version \d+\.\d+\.\d+\nfilter engine: compiled \(IL\)\n$"));
    }
}

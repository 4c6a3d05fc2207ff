using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary><c>wirecap -r FILE 'expression'</c> prints, and copies with -w and -U -w, what tcpdump does.</summary>
[TestFixture]
public class CliFilterTests : TempDirectoryFixture
{
    [TestCase("udp")]
    [TestCase("tcp or icmp")]
    [TestCase("not udp port 53")]
    [TestCase("ip6 or arp")]
    [TestCase("greater 100 and ip")]
    public void Filtered_output_prints_what_tcpdump_prints(string expression)
    {
        var ours = CliRunner.Run(["-n", "-r", Repository.SamplePath, expression]);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        var theirs = Tcpdump($"-n -r {Repository.SamplePath} \"{expression}\"");
        Assert.That(theirs, Is.Not.Empty, "the expression keeps some packets of the sample");
        Assert.That(Lines(ours.StdOut), Is.EqualTo(theirs));
    }

    [TestCase("udp")]
    [TestCase("tcp and not port 22")]
    public void A_filtered_copy_holds_what_tcpdump_keeps(string expression)
    {
        string copy = Path.Combine(TempDir, "copy.pcap"), buffered = Path.Combine(TempDir, "buffered.pcap");
        var plain = CliRunner.Run(["-r", Repository.SamplePath, "-w", copy, expression]);
        Assert.That(plain.ExitCode, Is.Zero, plain.StdErr);
        // -U to a file goes through the file sink, which filters the same way.
        var packetBuffered = CliRunner.Run(["-r", Repository.SamplePath, "-U", "-w", buffered, expression]);
        Assert.That(packetBuffered.ExitCode, Is.Zero, packetBuffered.StdErr);
        var expected = Tcpdump($"-n -r {Repository.SamplePath} \"{expression}\"");
        Assert.That(expected, Is.Not.Empty);
        Assert.That(Tcpdump($"-n -r {copy}"), Is.EqualTo(expected), "-w");
        Assert.That(Tcpdump($"-n -r {buffered}"), Is.EqualTo(expected), "-U -w");
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>tcpdump's output lines, in UTC as <see cref="CliRunner.Run"/> prints.</summary>
    private static string[] Tcpdump(string arguments)
    {
        Tool.Require("tcpdump");
        var run = Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump {arguments}");
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        return Lines(run.StdOut);
    }

    [Test]
    public void A_bad_expression_exits_1_with_libpcap_wording()
    {
        var run = CliRunner.Run(["-r", Repository.SamplePath, "tcp", "port", "70000"]);
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.StdErr, Does.Contain("port number 70000 greater than maximum 65535"));
    }

    [Test]
    public void Link_type_option_parses_names_and_numbers()
    {
        Assert.That(global::Wirecap.Cli.CliOptions.Parse(["-y", "LINUX_SLL2", "tcp"]).LinkTypeOverride, Is.EqualTo(global::Wirecap.LinkType.LinuxSll2));
        Assert.That(global::Wirecap.Cli.CliOptions.Parse(["-y", "12"]).LinkTypeOverride, Is.EqualTo(global::Wirecap.LinkType.Raw));
        Assert.Throws<global::Wirecap.Cli.CliUsageException>(() => global::Wirecap.Cli.CliOptions.Parse(["-y", "NOSUCH"]));
    }
}

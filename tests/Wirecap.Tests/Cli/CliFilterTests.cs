using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary><c>wirecap -r FILE 'expression'</c> keeps the packets tcpdump keeps.</summary>
[TestFixture]
public class CliFilterTests
{
    [TestCase("udp")]
    [TestCase("tcp or icmp")]
    [TestCase("not udp port 53")]
    [TestCase("ip6 or arp")]
    [TestCase("greater 100 and ip")]
    public void Filtered_output_has_the_packets_tcpdump_keeps(string expression)
    {
        Tool.Require("tcpdump");
        var ours = CliRunner.Run(["-n", "-r", Repository.SamplePath, expression]);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        var theirs = Tool.RunOk("tcpdump", $"-n -r {Repository.SamplePath} \"{expression}\"");
        int Lines(string text) => text.Split('\n').Count(l => l.Length > 0 && char.IsDigit(l[0]));
        Assert.That(Lines(ours.StdOut), Is.EqualTo(Lines(theirs)));
        Assert.That(Lines(ours.StdOut), Is.GreaterThan(0));
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

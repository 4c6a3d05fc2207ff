using Wirecap.Cli.Sample;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

public class SampleCaptureTests
{
    [Test]
    public void CommittedSampleIsWhatTheGeneratorMakesNow()
    {
        var made = new MemoryStream();
        SampleCapture.Write(made);
        Assert.That(File.ReadAllBytes(Repository.SamplePath), Is.EqualTo(made.ToArray()),
            "regenerate with: dotnet run --project src/Wirecap.Cli -- --make-sample samples/sample.pcapng");
    }

    [Test]
    public void DemoPrintsTheSampleExactlyAsTcpdumpDoes()
    {
        Tool.Require("tcpdump");
        var expected = Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump -n -r {Repository.SamplePath}");
        Assert.That(expected.ExitCode, Is.Zero, expected.StdErr);
        var ours = RunUtc(["-n", "-r", Repository.SamplePath]);
        Assert.That(ours.ExitCode, Is.Zero, ours.StdErr);
        Assert.That(ours.StdOut, Is.EqualTo(expected.StdOut));
        Assert.That(ours.StdErr.Trim(), Is.EqualTo(expected.StdErr.Trim()));
        Assert.That(expected.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(20));
    }

    [Test]
    public void SampleHoldsTheAdvertisedMix()
    {
        Tool.Require("tshark");
        var protocols = Tool.RunOk("tshark", $"-r {Repository.SamplePath} -T fields -e frame.interface_name -e frame.protocols -e frame.comment");
        Assert.That(protocols, Does.Contain("eth0").And.Contain("lo"));
        foreach (var p in new[] { "arp", "ip:udp:dns", "ipv6:udp:dns", "ip:icmp", "ip:tcp", "ipv6:icmpv6" })
            Assert.That(protocols, Does.Contain(p));
        Assert.That(protocols, Does.Contain("TCP handshake"));
        var warnings = Tool.Run("tshark", $"-r {Repository.SamplePath} -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE -Y \"_ws.expert.severity >= warning\"");
        Assert.That(warnings.StdOut.Trim(), Is.Empty, "checksums and lengths are valid");
    }

    internal static (int ExitCode, string StdOut, string StdErr) RunUtc(string[] args)
    {
        // The printer takes local time from TZ like tcpdump; the in-process run uses an explicit zone.
        var (code, stdout, stderr, _) = CliRunner.RunWithTimeZone(args, TimeZoneInfo.Utc);
        return (code, stdout, stderr);
    }
}

using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>-w conversions between pcap, pcapng and NCAP, read back by tcpdump and tshark.</summary>
public class CliConversionTests : TempDirectoryFixture
{
    private static string Tcpdump(string file, string filter = "")
    {
        var (code, stdout, stderr) = Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump -n -r {file} {filter}");
        Assert.That(code, Is.Zero, stderr);
        return stdout;
    }

    [TestCase("out.pcap", null)]
    [TestCase("out.pcapng", null)]
    [TestCase("out.cap", "pcapng")]
    public void SampleConvertedToPcapOrPcapngPrintsTheSameInTcpdump(string name, string? format)
    {
        Tool.Require("tcpdump");
        string output = Path.Combine(TempDir, name);
        string[] args = format is null ? ["-r", Repository.SamplePath, "-w", output] : ["-r", Repository.SamplePath, "-w", output, "--format", format];
        var run = CliRunner.Run(args);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(run.StdOut, Is.Empty, "-w prints no packets");
        Assert.That(Tcpdump(output), Is.EqualTo(Tcpdump(Repository.SamplePath)));
        using var reader = CaptureReader.Open(output);
        Assert.That(reader.Format, Is.EqualTo(name.EndsWith(".pcap", StringComparison.Ordinal) ? CaptureFormat.Pcap : CaptureFormat.PcapNg));
    }

    [Test]
    public void NcapRoundTripKeepsTheUdpAndIcmpPacketsAsTcpdumpSeesThem()
    {
        Tool.Require("tcpdump");
        Tool.Require("tshark");
        string ncap = Path.Combine(TempDir, "x.ncap"), back = Path.Combine(TempDir, "back.pcap");
        var toNcap = CliRunner.Run(["-r", Repository.SamplePath, "-w", ncap]);
        Assert.That(toNcap.ExitCode, Is.Zero, toNcap.StdErr);
        Assert.That(toNcap.StdErr, Does.Contain("packets not written: NCAP carries only"));
        var toPcap = CliRunner.Run(["-r", ncap, "-w", back]);
        Assert.That(toPcap.ExitCode, Is.Zero, toPcap.StdErr);
        Assert.That(toPcap.StdErr, Does.Contain("link-type RAW (Raw IP)"));

        string expected = Tcpdump(Repository.SamplePath, "udp or icmp");
        Assert.That(Tcpdump(back), Is.EqualTo(expected));
        // Our printer reads the NCAP file directly with the same result.
        Assert.That(CliRunner.Run(["-n", "-r", ncap]).StdOut, Is.EqualTo(expected));
        var tshark = Tool.RunOk("tshark", $"-r {back} -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -Y \"_ws.expert.severity >= warning\"");
        Assert.That(tshark.Trim(), Is.Empty, "synthesized headers have valid lengths and checksums");
    }

    [Test]
    public void StandardInputAndOutputAndCountWork()
    {
        Tool.Require("tcpdump");
        var sample = File.ReadAllBytes(Repository.SamplePath);
        var run = CliRunner.Run(["-r", "-", "-w", "-", "-c", "5", "--format", "pcap"], sample);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(run.StdErr, Does.StartWith("reading from file -, link-type EN10MB (Ethernet)"));
        string file = Path.Combine(TempDir, "five.pcap");
        File.WriteAllBytes(file, run.StdOutBytes);
        Assert.That(Tcpdump(file).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(5));
        var printed = CliRunner.Run(["-n", "-c", "3", "-r", "-"], sample);
        Assert.That(printed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
    }

    [Test]
    public void BadInputExits1WithTheFormatError()
    {
        string file = Path.Combine(TempDir, "bad.ncap");
        File.WriteAllBytes(file, [0x4E, 0x43, 0x41, 0x50, 0, 0, 0, 0x2A, 0, 0, 0, 0x40, 1, 2]);
        var run = CliRunner.Run(["-r", file]);
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.StdErr, Does.Contain("ncap").And.Contain("truncated"));
        var missing = CliRunner.Run(["-r", Path.Combine(TempDir, "nope.pcap")]);
        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.StdErr, Does.Contain("nope.pcap"));
    }
}

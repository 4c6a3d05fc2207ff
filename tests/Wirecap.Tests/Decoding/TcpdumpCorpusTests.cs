using System.Text.RegularExpressions;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Decoding;

/// <summary>
/// Our lines against Debian's <c>tcpdump -n</c> on the captures of tcpdump's own test suite
/// (TestData/tcpdump-printer): the share of identical lines per file and in all, printed in the test output. A
/// line of tcpdump's that decodes a protocol we do not claim (an application protocol, Mobile IPv6, a link type
/// we do not print) is counted apart, and so are the lines that continue it (-v prints the details of a message,
/// -X an HTTP body, on lines of their own); every other line must be ours.
/// </summary>
public sealed class TcpdumpCorpusTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "TestData", "tcpdump-printer");

    /// <summary>tcpdump lines that decode protocols we do not claim.</summary>
    private static readonly Regex Unclaimed = new(
        @"(: |\] )AHCP |: VRRPv|  \[!init SEQ\]|: HTTP|: mobility: | Loopback, skipCount|  \{ SNMPv", RegexOptions.CultureInvariant);

    /// <summary>Files whose link layer we do not print (Frame Relay, SLIP) or whose EtherType we do not decode
    /// (MACsec): their packet lines are unclaimed, their invalid-record lines are not.</summary>
    private static readonly string[] UnclaimedLinks = ["icmp-icmp_print-oobr-2.pcap", "icmp6_nodeinfo_oobr.pcap", "icmp-rfc8335-missing-bytes.pcap"];

    [Test]
    public void PrintsTheCorpusAsTcpdumpDoes()
    {
        var (claimed, identical, differing) = Compare([]);
        Assert.That(differing, Is.Empty, "claimed lines that differ from tcpdump's");
        Assert.That(identical, Is.EqualTo(claimed));
    }

    /// <summary>-v, -vv and -vvv on the same captures: every claimed line as well (ARP's markers for addresses it
    /// cannot read, IPv4 options cut by the capture, ICMP multi-part extensions, ICMPv6 options, MLDv2 records, node
    /// information and router renumbering details, a reset's text, tcpdump's own form of DNS names).</summary>
    [TestCase("-v")]
    [TestCase("-vv")]
    [TestCase("-vvv")]
    public void PrintsTheCorpusVerboseAsTcpdumpDoes(string flag)
    {
        var (claimed, identical, differing) = Compare([flag]);
        Assert.That(differing, Is.Empty, $"claimed lines that differ from tcpdump {flag}'s");
        Assert.That(identical, Is.EqualTo(claimed));
        Assert.That(claimed, Is.GreaterThan(2900), "the verbose lines are counted");
    }

    /// <summary>Runs tcpdump and us with <paramref name="flags"/> over the corpus; prints the shares; returns the claimed
    /// lines, those identical, and the differing ones.</summary>
    private static (int Claimed, int Identical, List<string> Differing) Compare(string[] flags)
    {
        Tool.Require("tcpdump");
        var files = System.IO.Directory.GetFiles(Directory).Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Count.EqualTo(93));
        int claimed = 0, identical = 0, unclaimed = 0, unclaimedIdentical = 0;
        var differing = new List<string>();
        TestContext.Progress.WriteLine($"identical lines of tcpdump -n {string.Join(' ', flags)}'s, per capture (claimed protocols; unclaimed apart):");
        foreach (var file in files)
        {
            string name = Path.GetFileName(file);
            var theirs = Lines(Tool.Run("/usr/bin/env", $"TZ=UTC tcpdump -n {string.Join(' ', flags)} -r {file}").StdOut);
            var run = CliRunner.Run(["-n", .. flags, "-r", file]);
            var ours = Lines(run.StdOut);
            var matched = Matched(theirs, ours);
            int fileClaimed = 0, fileIdentical = 0, fileUnclaimed = 0;
            bool packetUnclaimed = false;
            for (int i = 0; i < theirs.Length; i++)
            {
                bool continuation = theirs[i].StartsWith('\t') || theirs[i].StartsWith(' ');
                bool isUnclaimed = Unclaimed.IsMatch(theirs[i]) || (continuation && packetUnclaimed)
                    || (UnclaimedLinks.Contains(name) && !theirs[i].StartsWith("[Invalid header", StringComparison.Ordinal));
                packetUnclaimed = isUnclaimed;
                if (isUnclaimed)
                {
                    fileUnclaimed++;
                    if (matched[i]) unclaimedIdentical++;
                    continue;
                }
                fileClaimed++;
                if (matched[i]) fileIdentical++;
                else differing.Add($"{name}: {theirs[i]}");
            }
            claimed += fileClaimed;
            identical += fileIdentical;
            unclaimed += fileUnclaimed;
            TestContext.Progress.WriteLine($"  {name,-42} {fileIdentical,5}/{fileClaimed,-5} {Share(fileIdentical, fileClaimed),7}" +
                (fileUnclaimed > 0 ? $"   (+{fileUnclaimed} unclaimed)" : ""));
        }
        TestContext.Progress.WriteLine($"  all: {identical}/{claimed} identical ({Share(identical, claimed)}) on claimed protocols; " +
            $"{unclaimed} lines of unclaimed protocols ({unclaimedIdentical} identical all the same)");
        return (claimed, identical, differing);
    }

    /// <summary>Every packet of the corpus, damaged ones included, prints without allocating once the printer has
    /// seen its connections (the TCP sequence table learns each one once).</summary>
    [Test]
    public void PrintingTheCorpusDoesNotAllocate()
    {
        var packets = new List<(LinkType LinkType, byte[] Data, long Time, long Length)>();
        foreach (var file in System.IO.Directory.GetFiles(Directory).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
        {
            using var reader = Wirecap.Formats.CaptureReader.Open(file);
            while (reader.Read())
                packets.Add((reader.Current.LinkType, reader.Current.Data.ToArray(), reader.Current.TimestampNanoseconds, reader.Current.OriginalLength));
        }
        Assert.That(packets, Has.Count.GreaterThan(2500));
        var printer = new Wirecap.Decoding.PacketPrinter(new Wirecap.Decoding.PacketPrinterOptions { TimeZone = TimeZoneInfo.Utc });
        long allocated = Allocations.Quietest(4, () =>
        {
            foreach (var (linkType, data, time, length) in packets) printer.Write(TextWriter.Null, linkType, data, time, length);
        });
        Assert.That(allocated, Is.Zero);
    }

    private static string Share(int part, int whole) => whole == 0 ? "-" : $"{100.0 * part / whole:F1}%";

    private static string[] Lines(string output)
    {
        var lines = output.Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    /// <summary>Which of tcpdump's lines have an identical line of ours, aligned as diff aligns them (longest common
    /// subsequence), so an extra or missing line of ours does not shift every line after it.</summary>
    private static bool[] Matched(string[] theirs, string[] ours)
    {
        var table = new int[theirs.Length + 1, ours.Length + 1];
        for (int i = theirs.Length - 1; i >= 0; i--)
            for (int j = ours.Length - 1; j >= 0; j--)
                table[i, j] = theirs[i] == ours[j] ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
        var matched = new bool[theirs.Length];
        for (int i = 0, j = 0; i < theirs.Length && j < ours.Length;)
        {
            if (theirs[i] == ours[j]) { matched[i] = true; i++; j++; }
            else if (table[i + 1, j] >= table[i, j + 1]) i++;
            else j++;
        }
        return matched;
    }
}

using NUnit.Framework;
using Wirecap.Formats;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Formats;

/// <summary>
/// A copy keeps what its input holds: the library's <see cref="CaptureCopier"/> and <c>wirecap -r IN -w OUT</c>, read back
/// by tshark, capinfos and tcpdump, and by our reader, against the hand-made <see cref="RichCapture"/>.
/// </summary>
public class CopyFidelityTests
{
    private const string FrameFields = "-e frame.interface_id -e frame.interface_name -e frame.len -e frame.cap_len -e frame.time_epoch "
        + "-e frame.comment -e frame.packet_flags -e frame.drop_count -e frame.packet_id -e frame.interface_queue -e frame.verdict.ebpf_tc "
        + "-e frame.cb_pen -e frame.cb_copy -e data.data";

    [TestCase(false)]
    [TestCase(true)]
    public void A_pcapng_copy_keeps_every_section_interface_block_and_packet_option(bool throughTheCli)
    {
        Tool.Require("tshark");
        Tool.Require("capinfos");
        using var files = new TestFiles();
        string input = files["rich.pcapng"], output = files["copy.pcapng"];
        File.WriteAllBytes(input, RichCapture.Build());
        if (throughTheCli) RunCli(input, output);
        else CopyWithTheLibrary(input, output, CaptureFormat.PcapNg);

        // tshark: the same frames with the same fields (the custom block marked not to be copied aside).
        // Wireshark 4.0 numbers the second section's interface 0 as the first section's (calling it eth0): ours is the third, eth1.
        var before = TsharkFrames(input).Where(f => !f.Contains("\t32473\t0\t")).ToList();
        Assert.That(before[^1], Does.StartWith("0\teth0\t128\t"));
        before[^1] = "2\teth1" + before[^1][6..];
        var after = TsharkFrames(output);
        Assert.That(after, Is.EqualTo(before));
        Assert.That(after.Count(f => f.Contains("\t32473\t1\t")), Is.EqualTo(1), "the copyable custom block");

        // capinfos: every interface with its options and statistics; the first section's options, every section's comments;
        // the second section's hardware on its interface, eth1 (SectionOptionsCopyTests).
        var interfacesAfter = CapinfosInterfaces(output);
        Assert.That(interfacesAfter.Count(l => l.Trim() == "Hardware = hw-B"), Is.EqualTo(1));
        Assert.That(interfacesAfter.Where(l => l.Trim() != "Hardware = hw-B"), Is.EqualTo(CapinfosInterfaces(input)));
        var summary = Tool.RunOk("capinfos", $"\"{output}\"");
        Assert.That(summary.Split('\n').Count(l => l.Contains("Number of stat entries = 1", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(summary, Does.Contain("Number of resolved IPv4 addresses in file: 1").And.Contain("Number of decryption secrets in file: 1"));
        Assert.That(summary, Does.Contain("Capture hardware:    hw-A").And.Contain("Capture oper-sys:    Linux A").And.Contain("Capture application: app A"));
        Assert.That(summary, Does.Contain("first section").And.Contain("second section"));
        Assert.That(Tool.RunOk("tshark", $"-r \"{output}\" -q -z hosts"), Does.Contain("10.0.0.1\tone.example"));

        // Our reader: everything tshark does not show.
        using var reader = (PcapNgReader)CaptureReader.Open(output);
        var packets = new List<Packet>();
        while (reader.Read()) packets.Add(reader.Current.ToPacket());
        Assert.That(reader.SectionCount, Is.EqualTo(1));
        Assert.That(packets.Select(p => (p.InterfaceId, p.Data.Length, p.OriginalLength)),
            Is.EqualTo(new[] { (0, 96, 150), (0, 96, 100), (1, 200, 200), (0, 60, 50), (2, 128, 128) }));
        Assert.That(packets[1].TimestampUnknown, Is.True, "the simple packet block stays one");
        Assert.That(packets[0].Hash, Is.EqualTo((byte[])[2, .. Enumerable.Range(1, 16).Select(i => (byte)i)]));
        Assert.That(packets[0].OtherOptions.Select(o => (o.Code, Convert.ToHexString(o.Value.Span))),
            Is.EqualTo(new[] { ((ushort)3, "0309080706"), ((ushort)6, "03000000"), ((ushort)7, "010200000000000000") }));
        Assert.That(packets[4].OtherOptions.Select(o => (o.Code, Convert.ToHexString(o.Value.Span))),
            Is.EqualTo(new[] { ((ushort)6, "09000000"), ((ushort)7, "010500000000000000"), ((ushort)2988, "D97E000079") }));
        var eth0 = reader.Interfaces[0];
        Assert.That((eth0.Name, eth0.Description, eth0.Speed, eth0.Filter, eth0.OperatingSystem, eth0.FcsLength, eth0.Hardware, eth0.Comments.Single()),
            Is.EqualTo(("eth0", "LAN", (ulong?)1_000_000_000, "tcp port 80", "Linux 6.1", (int?)4, "NIC A", "the LAN port")));
        Assert.That(eth0.OtherOptions.Select(o => o.Code), Is.EqualTo(new ushort[] { 10, 6 }), "if_tzone and if_MACaddr kept, the do-not-copy custom option left");
        Assert.That(reader.Interfaces[1].TimestampOffset, Is.EqualTo(10));
        Assert.That(reader.Interfaces[2].OtherOptions.Single().Value.ToArray(), Is.EqualTo(new byte[] { 2, 0, 0, 0 }), "if_tzone turned little-endian");
        Assert.That(reader.Statistics.Select(s => (s.InterfaceId, s.ReceivedByInterface)), Is.EqualTo(new[] { (0, (ulong?)10), (2, (ulong?)20) }));
        var secrets = reader.Blocks.OfType<DecryptionSecrets>().Single();
        Assert.That((secrets.SecretsType, System.Text.Encoding.ASCII.GetString(secrets.Data.Span), secrets.Comments.Single()),
            Is.EqualTo((0x544c534bu, "CLIENT_RANDOM 00 11\n", "keys")));
        Assert.That(reader.Blocks.OfType<CustomBlock>().Select(c => (c.IsCopyable, Convert.ToHexString(c.Data.Span))), Is.EqualTo(new[] { (true, "01020304") }));
        Assert.That(reader.Blocks.OfType<CaptureSection>().Single().OtherOptions.Single().Code, Is.EqualTo(2988));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_pcap_copy_writes_every_byte_under_the_largest_snap_length(bool throughTheCli)
    {
        Tool.Require("tshark");
        using var files = new TestFiles();
        string input = files["rich.pcapng"], output = files["copy.pcap"];
        File.WriteAllBytes(input, RichCapture.Build());
        if (throughTheCli) RunCli(input, output);
        else CopyWithTheLibrary(input, output, CaptureFormat.Pcap);

        var frames = Tool.RunOk("tshark", $"-r \"{output}\" -T fields -e frame.len -e frame.cap_len").Trim().Split('\n');
        var expected = TsharkFrames(input).Where(f => !f.Contains("\t32473\t")).Select(f => f.Split('\t')).Select(f => $"{f[2]}\t{f[3]}");
        Assert.That(frames, Is.EqualTo(expected));
        Assert.That(PeerFrame.ReadWithUs(output).Select(f => f.Hex), Is.EqualTo(PeerFrame.ReadWithUs(input).Select(f => f.Hex)));
        using var reader = CaptureReader.Open(output);
        Assert.That(reader.Interfaces[0].SnapLength, Is.EqualTo(0), "the input's largest snap length: interface lo's 0, the link type's maximum");
    }

    [Test]
    public void Sections_of_96_and_128_byte_snap_lengths_copy_to_pcap_with_a_128_byte_header_and_no_packet_cut()
    {
        Tool.Require("tcpdump");
        using var files = new TestFiles();
        var le = new EndianBlocks(bigEndian: false);
        var be = new EndianBlocks(bigEndian: true);
        byte[] file =
        [
            .. le.SectionHeader(EndianBlocks.End), .. le.InterfaceDescription(1, 96, []),
            .. le.EnhancedPacket(0, 1_700_000_000_000_000, RichCapture.Frame(96, 1), 96, []),
            .. be.SectionHeader(EndianBlocks.End), .. be.InterfaceDescription(1, 128, []),
            .. be.EnhancedPacket(0, 1_700_000_000_000_001, RichCapture.Frame(128, 2), 128, []),
        ];
        string input = files["two.pcapng"], output = files["two.pcap"];
        File.WriteAllBytes(input, file);
        RunCli(input, output);
        var (code, stdout, stderr) = Tool.Run("tcpdump", $"-n -e -r \"{output}\"");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stderr, Does.Contain("snapshot length 128"));
        Assert.That(stdout, Does.Contain("length 96").And.Contain("length 128"));
        Assert.That(PeerFrame.ReadWithUs(output).Select(f => f.CapturedLength), Is.EqualTo(new[] { 96, 128 }));
        // -s asks for the cut.
        var cut = CliRunner.Run(["-r", input, "-w", files["cut.pcap"], "-s", "100"]);
        Assert.That(cut.ExitCode, Is.EqualTo(0), cut.StdErr);
        Assert.That(PeerFrame.ReadWithUs(files["cut.pcap"]).Select(f => (f.CapturedLength, f.Length)), Is.EqualTo(new[] { (96, 96), (100, 128) }));
    }

    [Test]
    public void Records_whose_original_length_is_below_their_captured_length_are_copied_as_read_as_tcpdump_does()
    {
        Tool.Require("tcpdump");
        using var files = new TestFiles();
        string input = files["short.pcap"], ours = files["ours.pcap"], theirs = files["theirs.pcap"];
        using (var writer = CaptureWriter.Create(input, CaptureFormat.Pcap))
            writer.Write(RichCapture.Frame(60, 3), 1_700_000_000_000_000_000, originalLength: 50);
        RunCli(input, ours);
        Tool.RunOk("tcpdump", $"-r \"{input}\" -w \"{theirs}\"");
        Assert.That(File.ReadAllBytes(ours), Is.EqualTo(File.ReadAllBytes(theirs)));
        Assert.That(PeerFrame.ReadWithUs(ours).Single(), Has.Property("Length").EqualTo(50).And.Property("CapturedLength").EqualTo(60));
    }

    [Test]
    public void A_simple_packet_block_keeps_no_timestamp_as_tshark_shows_and_reads_as_the_epoch_as_tcpdump_does()
    {
        Tool.Require("tshark");
        Tool.Require("tcpdump");
        using var files = new TestFiles();
        var le = new EndianBlocks(bigEndian: false);
        string input = files["spb.pcapng"], output = files["spb-copy.pcapng"];
        File.WriteAllBytes(input, [.. le.SectionHeader(EndianBlocks.End), .. le.InterfaceDescription(1, 64, []), .. le.SimplePacket(100, RichCapture.Frame(64, 4))]);
        RunCli(input, output);
        Assert.That(File.ReadAllBytes(output).AsSpan(File.ReadAllBytes(output).Length - 80).ToArray(), Is.EqualTo(File.ReadAllBytes(input)[^80..]), "the same simple packet block");
        Assert.That(Tool.RunOk("tshark", $"-r \"{output}\" -T fields -e frame.time_epoch -e frame.len -e frame.cap_len").TrimEnd(), Is.EqualTo("\t100\t64"));
        Assert.That(Tool.Run("tcpdump", $"-tt -n -r \"{output}\"").StdOut, Does.StartWith("0.000000 "));
        Assert.That(CliRunner.Run(["-tt", "-r", output]).StdOut, Does.StartWith("0.000000 "));
    }

    internal static void RunCli(string input, string output)
    {
        var run = CliRunner.Run(["-r", input, "-w", output]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.StdErr);
    }

    internal static void CopyWithTheLibrary(string input, string output, CaptureFormat format)
    {
        using var reader = CaptureReader.Open(input);
        using var writer = CaptureWriter.Create(output, format, CaptureCopier.WriterOptions(reader, format, CaptureCopier.ReadBlocks(input)));
        var copy = new CaptureCopier(reader, writer);
        while (reader.Read()) copy.Write(reader.Current);
        copy.Complete();
        Assert.That(copy.BlocksNotCopied, Is.EqualTo(format == CaptureFormat.PcapNg ? 1 : 6));
    }

    private static List<string> TsharkFrames(string path) =>
        [.. Tool.RunOk("tshark", $"-r \"{path}\" -T fields {FrameFields}").Trim().Split('\n')];

    // capinfos's first list of interfaces (it lists every section's), but for its packet and statistics counts: Wireshark 4.0
    // counts a later section's packets and statistics on the first section's interfaces.
    private static List<string> CapinfosInterfaces(string path) =>
        [.. Tool.RunOk("capinfos", $"\"{path}\"").Split('\n').SkipWhile(l => !l.StartsWith("Interface #", StringComparison.Ordinal))
            .TakeWhile(l => l.StartsWith("Interface #", StringComparison.Ordinal) || l.StartsWith(' '))
            .Where(l => !l.Contains("Number of packets", StringComparison.Ordinal) && !l.Contains("Number of stat entries", StringComparison.Ordinal))];
}

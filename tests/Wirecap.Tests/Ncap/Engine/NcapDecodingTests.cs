using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using Wirecap.Tests.Linux;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.Engine.EngineTestData;

namespace Wirecap.Tests.Ncap.Engine;

public class NcapDecodingTests
{
    private static List<NcapMessage> Decode(FrameToNcapConverter decoder, IEnumerable<byte[]> frames, LinkType linkType = LinkType.Ethernet, long step = 1_000)
    {
        var messages = new List<NcapMessage>();
        long t = BaseTime;
        foreach (var frame in frames)
        {
            if (decoder.TryConvert(linkType, frame, frame.Length, t, out var record)) messages.Add(record.ToMessage());
            t += step;
        }
        return messages;
    }

    [Test]
    public void FragmentsInOrderAndOutOfOrderBecomeOneMessageWithTheCompletingTimestamp()
    {
        using var decoder = new FrameToNcapConverter();
        var fragments = FragmentedUdp(3000, 1, 1480, 2960);
        var inOrder = Decode(decoder, fragments);
        Assert.That(inOrder, Has.Count.EqualTo(1));
        Assert.That(inOrder[0].Payload.Length, Is.EqualTo(3000));
        Assert.That(inOrder[0].TimestampNanoseconds, Is.EqualTo(BaseTime + 2_000), "the completing fragment's time, as ncap");
        var outOfOrder = Decode(decoder, [.. FragmentedUdp(3000, 2, 1480, 2960).AsEnumerable().Reverse()]);
        Assert.That(outOfOrder.Single().Payload.ToArray(), Is.EqualTo(inOrder[0].Payload.ToArray()));
    }

    [Test]
    public void OverlappingAndNeverCompletedFragmentsAreCountedNotDelivered()
    {
        using var decoder = new FrameToNcapConverter(new NcapConversionOptions { Reassembly = new ReassemblyOptions { Timeout = TimeSpan.FromSeconds(1) } });
        var first = FragmentedUdp(3000, 3, 1480);
        var conflicting = FragmentedUdp(3000, 3, 1000);
        conflicting[1][60] ^= 0xff; // different bytes in the overlapping range
        Assert.That(Decode(decoder, [first[0], conflicting[1]]), Is.Empty);
        Assert.That(decoder.Reassembly.Dropped(FragmentDropReason.Overlap), Is.EqualTo(1));
        Assert.That(decoder.Dropped(NcapDropReason.FragmentDropped), Is.EqualTo(1));

        Assert.That(Decode(decoder, [FragmentedUdp(3000, 4, 1480)[0]]), Is.Empty);
        Assert.That(decoder.PendingDatagrams, Is.EqualTo(1));
        // Any later packet, past the timeout, expires the incomplete datagram.
        Assert.That(decoder.TryConvert(LinkType.Ethernet, Udp(2), Udp(2).Length, BaseTime + 5_000_000_000, out _), Is.True);
        Assert.That(decoder.PendingDatagrams, Is.Zero);
        Assert.That(decoder.Reassembly.Dropped(FragmentDropReason.Expired), Is.EqualTo(1));
    }

    [Test]
    public void EveryDropReasonIsCounted()
    {
        using var decoder = new FrameToNcapConverter(new NcapConversionOptions { IncludeIcmpv6 = false });
        var udp = Udp(1);
        Assert.That(decoder.TryConvert(LinkType.Ethernet, udp.AsSpan(0, 40), udp.Length, 0, out _), Is.False);
        Assert.That(decoder.Dropped(NcapDropReason.Truncated), Is.EqualTo(1));
        Assert.That(Decode(decoder, [Arp()]), Is.Empty);
        Assert.That(decoder.Dropped(NcapDropReason.NotIp), Is.EqualTo(1));
        Assert.That(Decode(decoder, [udp], (LinkType)147), Is.Empty);
        Assert.That(decoder.Dropped(NcapDropReason.UnsupportedLinkType), Is.EqualTo(1));
        Assert.That(Decode(decoder, [FrameBuilder.Tagged(udp, 5)]), Is.Empty, "tagged, and no VLAN list");
        Assert.That(decoder.Dropped(NcapDropReason.VlanRejected), Is.EqualTo(1));
        var badIp = (byte[])udp.Clone();
        badIp[14] = 0x4f; // IHL 60 bytes: more than the packet
        Assert.That(Decode(decoder, [badIp]), Is.Empty);
        Assert.That(decoder.Dropped(NcapDropReason.Malformed), Is.EqualTo(1));
        var gre = (byte[])udp.Clone();
        gre[23] = 47;
        Assert.That(Decode(decoder, [gre]), Is.Empty);
        Assert.That(decoder.Dropped(NcapDropReason.UnsupportedProtocol), Is.EqualTo(1));
    }

    [Test]
    public void VlanListsCompareTheVlanIdNotTheWholeTci()
    {
        using var decoder = new FrameToNcapConverter(new NcapConversionOptions { Vlans = new HashSet<int> { 5 } });
        var priorityTagged = FrameBuilder.Tagged(Udp(1), 0xa005); // PCP 5, VLAN 5: ncap compared 0xa005 with 5 and dropped it
        Assert.That(Decode(decoder, [priorityTagged, FrameBuilder.Tagged(Udp(2), 6), Udp(3)]), Has.Count.EqualTo(1));
        Assert.That(decoder.Dropped(NcapDropReason.VlanRejected), Is.EqualTo(2));
        using var any = new FrameToNcapConverter(new NcapConversionOptions { Vlans = new HashSet<int> { 0 } });
        Assert.That(Decode(any, [FrameBuilder.Tagged(Udp(2), 6), Udp(3)]), Has.Count.EqualTo(2), "0 takes every tag and untagged frames");
    }

    [Test]
    public void TcpSegmentsGetStreamOffsetsFlagsAndTheChecksumVerdict()
    {
        using var decoder = new FrameToNcapConverter();
        var messages = Decode(decoder,
        [
            Tcp(0, 0x02, 5000, validChecksum: true, payload: 0),       // SYN
            Tcp(1, 0x18, 5001, validChecksum: true),                   // first data byte: offset 0
            Tcp(2, 0x18, 5009, validChecksum: false),                  // offset 8, bad checksum
            Tcp(3, 0x11, 5017, validChecksum: true, payload: 0),       // FIN at offset 16
        ]);
        Assert.That(messages.Select(m => m.Transport), Is.All.EqualTo(NcapTransport.Tcp));
        Assert.That(messages.Select(m => m.TcpOffset), Is.EqualTo(new uint[] { 0, 0, 8, 16 }));
        Assert.That(messages.Select(m => m.TcpFlags), Is.EqualTo(new[]
        {
            NcapTcpFlags.FirstSegment, (NcapTcpFlags)0, NcapTcpFlags.ChecksumFailed, NcapTcpFlags.LastSegment,
        }));
    }
}

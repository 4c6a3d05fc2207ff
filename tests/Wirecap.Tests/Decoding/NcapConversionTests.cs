using System.Buffers.Binary;
using System.Net;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Tests.Ncap;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Decoding;

public class NcapConversionTests
{
    private static byte[] UdpFrame(string source = "10.0.0.1", string destination = "10.0.0.2") =>
        FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", source.Contains(':') ? EtherTypes.IPv6 : EtherTypes.IPv4,
            FrameBuilder.Ip(source, destination, IpProtocols.Udp, FrameBuilder.Udp(1111, 53, "query"u8)));

    private const string Converted = "converted", Held = "held";

    // What became of one frame given to a fresh converter: converted, held (a fragment), or the drop reason.
    private static string Convert(LinkType linkType, byte[] frame, NcapConversionOptions? options, out NcapMessage? message, int? originalLength = null)
    {
        using var converter = new FrameToNcapConverter(options ?? NcapConversionOptions.Ncaptool);
        message = null;
        if (converter.TryConvert(linkType, frame, originalLength ?? frame.Length, 1_700_000_000_123_456_000, out var record))
        {
            message = record.ToMessage();
            return Converted;
        }
        var reasons = Enum.GetValues<NcapDropReason>().Where(r => converter.Dropped(r) > 0).ToList();
        Assert.That(reasons, Has.Count.LessThanOrEqualTo(1));
        return reasons.Count == 0 ? Held : reasons[0].ToString();
    }

    [Test]
    public void UdpOverEthernetBecomesTheNcaptoolMessage()
    {
        Assert.That(Convert(LinkType.Ethernet, UdpFrame(), null, out var m), Is.EqualTo(Converted));
        Assert.Multiple(() =>
        {
            Assert.That(m!.Seconds, Is.EqualTo(1_700_000_000));
            Assert.That(m.Nanoseconds, Is.EqualTo(123_456_000));
            Assert.That(m.Source, Is.EqualTo(IPAddress.Parse("10.0.0.1")));
            Assert.That(m.DestinationPort, Is.EqualTo(53));
            Assert.That(m.Payload.ToArray(), Is.EqualTo("query"u8.ToArray()), "Ethernet padding is not payload");
        });
    }

    [Test]
    public void IPv6ExtensionHeadersLongerThanEightBytesAreWalked()
    {
        var udp = FrameBuilder.Udp(1111, 53, "abc"u8);
        var plain = FrameBuilder.Ip("2001:db8::1", "2001:db8::2", IpProtocols.Udp, udp);
        // Hop-by-hop (8 bytes) then destination options of 24 bytes (Hdr Ext Len 2), which ncap mis-sizes.
        var hopByHop = new byte[8];
        hopByHop[0] = IpProtocols.DestinationOptions;
        var destinationOptions = new byte[24];
        destinationOptions[0] = IpProtocols.Udp;
        destinationOptions[1] = 2;
        destinationOptions[2] = 1; destinationOptions[3] = 20; // PadN over the rest
        var packet = plain[..40].Concat(hopByHop).Concat(destinationOptions).Concat(plain[40..]).ToArray();
        packet[6] = IpProtocols.HopByHop;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(packet.Length - 40));
        Assert.That(Convert(LinkType.Raw, packet, null, out var m), Is.EqualTo(Converted));
        Assert.That(m!.Payload.ToArray(), Is.EqualTo("abc"u8.ToArray()));
        Assert.That(m.Network, Is.EqualTo(NcapNetwork.IPv6));
    }

    [Test]
    public void LinkTypesNcaptoolReadsAndTheOnesWeAdd()
    {
        var ip = FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(1, 2, "x"u8));
        byte[] sll = [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, .. ip];
        byte[] sll2 = [0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0, .. ip];
        byte[] nullLittle = [2, 0, 0, 0, .. ip];
        byte[] nullBig = [0, 0, 0, 2, .. ip];
        byte[] loop = [0, 0, 0, 2, .. ip];
        foreach (var (type, frame) in new[] { (LinkType.LinuxSll, sll), (LinkType.LinuxSll2, sll2), (LinkType.Null, nullLittle), (LinkType.Null, nullBig), (LinkType.Loop, loop), (LinkType.Raw, ip), (LinkType.Ipv4, ip) })
            Assert.That(Convert(type, frame, null, out _), Is.EqualTo(Converted), type.ToString());
        Assert.That(Convert(LinkType.Ppp, ip, null, out _), Is.EqualTo(nameof(NcapDropReason.UnsupportedLinkType)));
    }

    [Test]
    public void DropsWhatNcaptoolDrops()
    {
        var arp = FrameBuilder.Ethernet("02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", EtherTypes.Arp, FrameBuilder.Arp(1, "02:00:00:00:00:01", "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2"));
        Assert.That(Convert(LinkType.Ethernet, arp, null, out _), Is.EqualTo(nameof(NcapDropReason.NotIp)));
        var tcp = FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Tcp, FrameBuilder.Tcp(1, 2, 3, 4, TcpFlags.Syn, 100, [], []));
        Assert.That(Convert(LinkType.Raw, tcp, null, out _), Is.EqualTo(nameof(NcapDropReason.UnsupportedProtocol)));
        var frame = UdpFrame();
        Assert.That(Convert(LinkType.Ethernet, frame, null, out _, frame.Length + 1), Is.EqualTo(nameof(NcapDropReason.Truncated)));
        var fragment = FrameBuilder.Ip("10.0.0.1", "10.0.0.2", IpProtocols.Udp, FrameBuilder.Udp(1, 2, new byte[16]));
        fragment[6] = 0x20; // more fragments: a first fragment of 24 bytes (a multiple of 8, as the reassembler requires)
        Assert.That(Convert(LinkType.Raw, fragment, null, out _), Is.EqualTo(Held));
    }

    [Test]
    public void VlanTagsFollowTheVlanListByIdNotWholeTci()
    {
        var untagged = UdpFrame();
        byte[] tagged = [.. untagged[..12], 0x81, 0x00, 0xA0, 0x05, .. untagged[12..]]; // PCP 5, VLAN 5
        byte[] qinq = [.. untagged[..12], 0x88, 0xA8, 0x00, 0x07, 0x81, 0x00, 0x00, 0x05, .. untagged[12..]];
        Assert.That(Convert(LinkType.Ethernet, tagged, null, out _), Is.EqualTo(nameof(NcapDropReason.VlanRejected)), "ncaptool drops tagged frames");
        var vlan5 = new NcapConversionOptions { Vlans = new HashSet<int> { 5 } };
        Assert.That(Convert(LinkType.Ethernet, tagged, vlan5, out _), Is.EqualTo(Converted));
        Assert.That(Convert(LinkType.Ethernet, untagged, vlan5, out _), Is.EqualTo(nameof(NcapDropReason.VlanRejected)));
        var any = new NcapConversionOptions { Vlans = new HashSet<int> { 0 } };
        Assert.That(Convert(LinkType.Ethernet, qinq, any, out var m), Is.EqualTo(Converted));
        Assert.That(m!.Payload.ToArray(), Is.EqualTo("query"u8.ToArray()));
    }

    [Test]
    public void MessageToRawPacketAndBackIsTheSameMessage()
    {
        var options = NcapConversionOptions.Default; // TCP and ICMPv6 too, checksums verified (the rebuilt ones are right)
        Prop.ForAll(NcapTestData.Messages().ToArbitrary(), original =>
        {
            var m = new NcapMessage
            {
                Seconds = original.Seconds, Nanoseconds = original.Nanoseconds, Source = original.Source, Destination = original.Destination,
                Transport = original.Transport, SourcePort = original.SourcePort, DestinationPort = original.DestinationPort,
                TcpOffset = original.TcpOffset, TcpFlags = original.TcpFlags & ~NcapTcpFlags.ChecksumFailed,
                IcmpType = original.IcmpType, IcmpCode = original.IcmpCode, Payload = original.Payload,
            };
            byte[] packet = [];
            m.WithRecord(0, (_, record) =>
            {
                packet = new byte[NcapToFrameConverter.GetLength(record)];
                NcapToFrameConverter.Write(record, packet);
            });
            Assert.That(IpPacket.TryParse(m.Network == NcapNetwork.IPv4 ? EtherTypes.IPv4 : EtherTypes.IPv6, packet, out var ip), Is.True);
            Assert.That(InternetChecksum.VerifyTransport(ip.Source, ip.Destination, ip.Protocol, ip.Payload) || ip.Protocol == IpProtocols.Icmp, Is.True);
            if (ip.Version == 4) Assert.That(InternetChecksum.Compute(packet.AsSpan(0, 20)), Is.Zero);
            using var converter = new FrameToNcapConverter(options);
            Assert.That(converter.TryConvert(LinkType.Raw, packet, packet.Length, m.TimestampNanoseconds, out var back), Is.True);
            // The offset goes out as the sequence number and comes back stream-relative: a lone segment is the first
            // its fresh converter sees of its stream, so it sits at offset 0, SYN or not.
            Assert.That(back.TcpOffset, Is.Zero);
            Assert.That((back with { TcpOffset = m.TcpOffset }).ToMessage(), Is.EqualTo(m));
        }).QuickCheckThrowOnFailure();
    }
}

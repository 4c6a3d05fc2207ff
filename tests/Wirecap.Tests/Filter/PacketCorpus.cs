using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using static Wirecap.Tests.Filter.PacketBuilder;

namespace Wirecap.Tests.Filter;

/// <summary>A generated packet: its captured bytes and its length on the wire.</summary>
internal sealed record CorpusPacket(byte[] Data, int WireLength, string Label);

/// <summary>
/// Generates packets that exercise every primitive for one link type: the addresses, ports and
/// ids the expressions mention (so matching packets exist), IPv4 options and fragments, IPv6
/// extension headers, VLAN/QinQ, MPLS, PPPoE, VXLAN/Geneve, LLC frames, and truncated copies.
/// </summary>
internal static partial class PacketCorpus
{
    [GeneratedRegex(@"\b\d{1,3}(?:\.\d{1,3}){1,3}\b")]
    private static partial Regex DottedPattern();

    [GeneratedRegex(@"(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F.]{0,15}")]
    private static partial Regex V6Pattern();

    [GeneratedRegex(@"\b(?:0x[0-9a-fA-F]+|\d+)\b")]
    private static partial Regex NumberPattern();

    /// <summary>Literals that appear in the expressions, so that matching packets exist.</summary>
    internal sealed class Harvest
    {
        public HashSet<string> V4 { get; } = ["10.0.0.1", "192.168.1.1", "1.2.3.4", "255.255.255.255", "224.0.0.251", "0.0.0.0", "10.20.30.40"];
        public HashSet<string> V6 { get; } = ["::1", "fe80::1", "2001:db8::1", "ff02::1", "fd00:a1b2:c3d4::1020:3040:5060:7080"];
        public SortedSet<uint> Numbers { get; } = [0, 1, 7, 22, 25, 53, 67, 68, 80, 100, 443, 1023, 1024, 4789, 6081, 12345, 65535];

        public void Add(string expression)
        {
            foreach (Match m in DottedPattern().Matches(expression))
            {
                var parts = m.Value.Split('.');
                if (parts.All(p => int.Parse(p, CultureInfo.InvariantCulture) < 256))
                {
                    var padded = parts.Concat(Enumerable.Repeat("0", 4 - parts.Length));
                    V4.Add(string.Join('.', padded));
                    if (parts.Length == 4)
                        V4.Add(string.Join('.', parts.Take(3).Append(((int.Parse(parts[3], CultureInfo.InvariantCulture) + 1) % 256).ToString(CultureInfo.InvariantCulture))));
                }
            }
            foreach (Match m in V6Pattern().Matches(expression))
            {
                if (IPAddress.TryParse(m.Value.TrimEnd('.'), out var a) && a.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    V6.Add(a.ToString());
                    var bytes = a.GetAddressBytes();
                    bytes[15] ^= 1;
                    V6.Add(new IPAddress(bytes).ToString());
                }
            }
            foreach (Match m in NumberPattern().Matches(expression))
            {
                var text = m.Value;
                var value = text.StartsWith("0x", StringComparison.Ordinal)
                    ? uint.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : uint.TryParse(text, CultureInfo.InvariantCulture, out var v) ? v : 0;
                if (value <= 0xffffff)
                {
                    Numbers.Add(value);
                    Numbers.Add(value + 1);
                }
            }
        }

        public void AddAddress(IPAddress address)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
                V4.Add(address.ToString());
            else
                V6.Add(address.ToString());
        }
    }

    public static List<CorpusPacket> For(int dlt, Harvest harvest)
    {
        var network = NetworkPayloads(harvest);
        var packets = dlt switch
        {
            1 => EthernetFrames(network, harvest),
            113 or 276 => Cooked(dlt, network),
            0 or 108 => Loopback(dlt, network),
            _ => network.Select(n => new CorpusPacket(n.Bytes, n.Bytes.Length, n.Label)).ToList(),
        };
        return WithTruncations(packets);
    }

    internal sealed record NetworkPacket(int EtherType, byte[] Bytes, string Label);

    private static IEnumerable<uint> Ports(Harvest h) => h.Numbers.Where(n => n <= 65535);

    private static List<NetworkPacket> NetworkPayloads(Harvest h)
    {
        var list = new List<NetworkPacket>();
        void V4(string label, byte[] b) => list.Add(new NetworkPacket(0x0800, b, label));
        void V6(string label, byte[] b) => list.Add(new NetworkPacket(0x86dd, b, label));
        var other4 = "198.51.100.7";
        var other6 = "2001:db8:ffff::7";
        var i = 0;
        foreach (var a in h.V4)
        {
            var payloads = new (int, byte[])[] { (6, Tcp(1000 + i, 80)), (17, Udp(53, 2000 + i)), (1, Icmp(8)), (2, [0x11, 0, 0, 0, 0, 0, 0, 0]) };
            var (proto, payload) = payloads[i++ % payloads.Length];
            V4($"ip {a} src", Ipv4(a, other4, proto, payload));
            V4($"ip {a} dst", Ipv4(other4, a, 6, Tcp(40000, 443)));
            list.Add(new NetworkPacket(0x0806, Arp(1, a, other4), $"arp {a} sender"));
            list.Add(new NetworkPacket(0x0806, Arp(2, other4, a), $"arp {a} target"));
            list.Add(new NetworkPacket(0x8035, Arp(3, a, a), $"rarp {a}"));
        }
        foreach (var a in h.V6)
        {
            V6($"ip6 {a} src", Ipv6(a, other6, 17, Udp(546, 547)));
            V6($"ip6 {a} dst", Ipv6(other6, a, 58, Icmp(128)));
        }
        foreach (var port in Ports(h))
        {
            var p = (int)port;
            V4($"tcp sport {p}", Ipv4("10.1.1.1", "10.2.2.2", 6, Tcp(p, 33000)));
            V4($"tcp dport {p}", Ipv4("10.1.1.1", "10.2.2.2", 6, Tcp(33000, p)));
            V4($"udp sport {p}", Ipv4("10.1.1.1", "10.2.2.2", 17, Udp(p, 33001)));
            V4($"udp dport {p}", Ipv4("10.1.1.1", "10.2.2.2", 17, Udp(33001, p)));
            V4($"sctp dport {p}", Ipv4("10.1.1.1", "10.2.2.2", 132, Sctp(33002, p)));
            V6($"ip6 tcp dport {p}", Ipv6("2001:db8::a", "2001:db8::b", 6, Tcp(33000, p)));
            V6($"ip6 udp sport {p}", Ipv6("2001:db8::a", "2001:db8::b", 17, Udp(p, 33001)));
            V6($"ip6 sctp sport {p}", Ipv6("2001:db8::a", "2001:db8::b", 132, Sctp(p, 33001)));
            if (p < 256)
            {
                V4($"ip proto {p}", Ipv4("10.3.3.3", "10.4.4.4", p, new byte[24]));
                V6($"ip6 nh {p}", Ipv6("2001:db8::c", "2001:db8::d", p, new byte[24]));
                V6($"ip6 frag nh {p}", Ipv6("2001:db8::c", "2001:db8::d", 44, Fragment6(p, new byte[24])));
                V6($"ip6 hbh nh {p}", Ipv6("2001:db8::c", "2001:db8::d", 0, Extension(p, new byte[24])));
                V4($"icmp type {p}", Ipv4("10.5.5.5", "10.6.6.6", 1, Icmp(p, 1)));
                V6($"icmp6 type {p}", Ipv6("fe80::5", "ff02::2", 58, Icmp(p)));
                V4($"tcp flags {p}", Ipv4("10.5.5.5", "10.6.6.6", 6, Tcp(1234, 5678, p)));
                V4($"byte pattern {p}", Ipv4("10.5.5.5", "10.6.6.6", 17, Udp(p, p, Enumerable.Repeat((byte)p, 40).ToArray()), tos: p));
            }
        }
        // IPv4 options and fragments.
        V4("ipv4 options tcp 80", Ipv4("10.7.7.7", "10.8.8.8", 6, Tcp(80, 1025), options: [0x94, 4, 0, 0]));
        V4("ipv4 options udp 53", Ipv4("10.7.7.7", "10.8.8.8", 17, Udp(1025, 53), options: [1, 1, 1, 0, 0x94, 4, 0, 0]));
        V4("ipv4 first fragment tcp 80", Ipv4("10.7.7.7", "10.8.8.8", 6, Tcp(80, 22), fragment: 0x2000));
        V4("ipv4 later fragment tcp 80", Ipv4("10.7.7.7", "10.8.8.8", 6, Tcp(80, 80), fragment: 0x0010));
        V4("ipv4 later fragment udp 53", Ipv4("10.7.7.7", "10.8.8.8", 17, Udp(53, 53), fragment: 0x2020));
        // IPv6 extension-header chains.
        V6("ip6 hbh dst tcp 80", Ipv6("2001:db8::1", "2001:db8::2", 0, Extension(60, Tcp(80, 1234))));
        V6("ip6 routing udp 53", Ipv6("2001:db8::1", "2001:db8::2", 43, Extension(17, Udp(1234, 53))));
        V6("ip6 frag udp 53", Ipv6("2001:db8::1", "2001:db8::2", 44, Fragment6(17, Udp(53, 1234))));
        V6("ip6 ah tcp 22", Ipv6("2001:db8::1", "2001:db8::2", 51, Ah(6, Tcp(22, 1234))));
        V6("ip6 ah ipv6", Ipv6("2001:db8::1", "2001:db8::2", 51, Ah(41, Ipv6("::1", "::2", 59, []))));
        V6("ip6 no next", Ipv6("2001:db8::1", "2001:db8::2", 59, []));
        V4("ipv4 ah tcp", Ipv4("10.9.9.9", "10.9.9.10", 51, Ah(6, Tcp(22, 80))));
        V4("ipv4 ah ipip icmp", Ipv4("10.9.9.9", "10.9.9.10", 51, Ah(4, Ipv4("1.1.1.1", "2.2.2.2", 1, Icmp(8)))));
        V4("ipv4 ipip udp", Ipv4("10.9.9.9", "10.9.9.10", 4, Ipv4("1.1.1.1", "2.2.2.2", 17, Udp(53, 53))));
        // Tunnels carried over IP.
        foreach (var vni in new uint[] { 100, 12345 }.Concat(h.Numbers.Where(n => n is > 1 and <= 0xffffff).Take(6)))
        {
            var inner = Ethernet("00:00:5e:00:53:01", "00:00:5e:00:53:02", 0x0800, Ipv4("192.168.0.1", "192.168.0.2", 6, Tcp(22, 1234)));
            V4($"vxlan {vni}", Ipv4("10.10.0.1", "10.10.0.2", 17, Udp(55555, 4789, Concat([8, 0, 0, 0], U32(vni << 8), inner))));
            V6($"vxlan6 {vni}", Ipv6("2001:db8::10", "2001:db8::11", 17, Udp(55555, 4789, Concat([8, 0, 0, 0], U32(vni << 8), inner))));
            V4($"geneve eth {vni}", Ipv4("10.10.0.1", "10.10.0.2", 17, Udp(55555, 6081, Concat([0, 0], U16(0x6558), U32(vni << 8), inner))));
            V4($"geneve opt ip {vni}", Ipv4("10.10.0.1", "10.10.0.2", 17, Udp(55555, 6081,
                Concat([1, 0], U16(0x0800), U32(vni << 8), [1, 2, 3, 0], Ipv4("192.168.9.1", "192.168.9.2", 1, Icmp(8))))));
        }
        return list;
    }

    private static List<CorpusPacket> EthernetFrames(List<NetworkPacket> network, Harvest h)
    {
        var list = new List<CorpusPacket>();
        void Add(string label, byte[] frame) => list.Add(new CorpusPacket(frame, frame.Length, label));
        const string Local = "00:00:5e:00:53:aa";
        const string Remote = "00:00:5e:00:53:bb";
        foreach (var n in network)
            Add(n.Label, Ethernet(Remote, Local, n.EtherType, n.Bytes));
        var sample = network.Where((_, i) => i % 5 == 0).ToList();
        var ids = h.Numbers.Where(n => n < 4096).Take(12).ToList();
        foreach (var (n, i) in sample.Select((n, i) => (n, i)))
        {
            var vid = (int)ids[i % ids.Count];
            Add($"vlan {vid} {n.Label}", Concat(Mac(Remote), Mac(Local), U16(0x8100), U16(vid), U16(n.EtherType), n.Bytes));
            Add($"qinq {vid} {n.Label}", Concat(Mac(Remote), Mac(Local), U16(0x88a8), U16(vid), U16(0x8100), U16(vid + 1), U16(n.EtherType), n.Bytes));
            if (n.EtherType is 0x0800 or 0x86dd)
            {
                var label = h.Numbers.ElementAt(i % h.Numbers.Count) & 0xfffff;
                Add($"mpls {label} {n.Label}", Concat(Mac(Remote), Mac(Local), U16(0x8847), U32((label << 12) | 0x100 | 64), n.Bytes));
                Add($"mpls2 {label} {n.Label}", Concat(Mac(Remote), Mac(Local), U16(0x8847), U32((label << 12) | 64), U32((label << 12) | 0x100 | 64), n.Bytes));
                var session = (int)(h.Numbers.ElementAt(i % h.Numbers.Count) & 0xffff);
                var ppp = n.EtherType == 0x0800 ? 0x21 : 0x57;
                Add($"pppoes {session} {n.Label}", Concat(Mac(Remote), Mac(Local), U16(0x8864), [0x11, 0], U16(session), U16(n.Bytes.Length + 2), U16(ppp), n.Bytes));
            }
        }
        Add("pppoes mpls 123", Concat(Mac(Remote), Mac(Local), U16(0x8864), [0x11, 0], U16(0x3b), U16(30), U16(0x281), U32((123 << 12) | 0x100 | 64), Ipv4("1.1.1.1", "2.2.2.2", 1, Icmp(0))));
        Add("pppoe discovery", Concat(Mac("ff:ff:ff:ff:ff:ff"), Mac(Local), U16(0x8863), [0x11, 9, 0, 0, 0, 4, 1, 1, 0, 0]));
        // Link-layer addresses: broadcast, multicast, the named hosts.
        var macs = new List<string> { "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:fb", "33:33:00:00:00:01", "ab:cd:ef:00:00:01", "ab:cd:ef:00:00:02",
            "ab:cd:ef:00:00:03", "aa:00:04:00:14:0e", "aa:00:04:00:01:08", "01:80:c2:00:00:00" };
        foreach (var mac in macs)
        {
            Add($"to {mac}", Ethernet(mac, Local, 0x0800, Ipv4("10.0.0.1", "10.20.30.40", 17, Udp(1, 2))));
            Add($"from {mac}", Ethernet(Remote, mac, 0x0806, Arp(1, "10.20.30.40", "192.168.243.1")));
        }
        // 802.3 frames with LLC headers.
        byte[] Llc(params byte[] bytes) => Concat(Mac("01:80:c2:00:00:00"), Mac(Local), U16(bytes.Length), bytes);
        Add("llc stp", Llc(0x42, 0x42, 0x03, 0, 0, 0, 0, 0));
        Add("llc netbeui", Llc(0xf0, 0xf0, 0x03, 1, 2, 3));
        Add("llc ip sap", Llc(0x06, 0x06, 0x03, 1, 2, 3));
        Add("llc sap 255", Llc(0xff, 0xff, 0x03, 1, 2, 3));
        Add("llc ipx", Llc(0xe0, 0xe0, 0x03, 0xff, 0xff, 0, 30));
        Add("raw ipx", Llc(0xff, 0xff, 0, 30, 0, 0));
        Add("snap ipx", Llc(0xaa, 0xaa, 0x03, 0, 0, 0, 0x81, 0x37, 1, 2));
        Add("snap atalk", Llc(0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b, 1, 2));
        Add("snap aarp", Llc(0xaa, 0xaa, 0x03, 0, 0, 0, 0x80, 0xf3, 1, 2));
        foreach (var control in new byte[] { 0x00, 0x01, 0x05, 0x09, 0x03, 0x63, 0x43, 0x0f, 0x6f, 0xe3, 0xaf, 0x87, 0x02 })
            Add($"llc control {control:x2}", Llc(0x42, 0x42, control, 0, 0, 0));
        foreach (var nlpid in new byte[] { 0x81, 0x82, 0x83 })
        {
            foreach (var pdu in new byte[] { 0x0f, 0x10, 0x11, 0x12, 0x14, 0x18, 0x19, 0x1a, 0x1b, 0x3a })
                Add($"osi {nlpid:x2} pdu {pdu:x2}", Llc(0xfe, 0xfe, 0x03, nlpid, 0x1b, 1, 0, pdu, 0, 0, 0));
        }
        // Other EtherTypes.
        foreach (var type in new[] { 0x6001, 0x6002, 0x6004, 0x6007, 0x809b, 0x80f3, 0x8137, 0x88cc, 0x8809, 0x9000, 0x0006, 0x00ff, 0x05dd })
            Add($"ethertype {type:x4}", Ethernet(Remote, Local, type, new byte[46]));
        // DECnet routing headers: short and long forms, with and without the pad byte.
        foreach (var (area, node) in new[] { (50, 764), (1, 1), (63, 1023) })
        {
            var address = (area << 10) | node;
            byte[] le = [(byte)address, (byte)(address >> 8)];
            Add($"decnet short {area}.{node}", Ethernet(Remote, Local, 0x6003, Concat(U16(20), [0x02], le, le, [0], new byte[20])));
            Add($"decnet short pad {area}.{node}", Ethernet(Remote, Local, 0x6003, Concat(U16(20), [0x81, 0x02], le, le, [0], new byte[20])));
            Add($"decnet long {area}.{node}", Ethernet(Remote, Local, 0x6003, Concat(U16(30), [0x06, 0, 0], new byte[4], le, [0, 0], new byte[4], le, new byte[10])));
        }
        return list;
    }

    private static List<CorpusPacket> Cooked(int dlt, List<NetworkPacket> network)
    {
        var list = new List<CorpusPacket>();
        var i = 0;
        foreach (var n in network.Concat([new NetworkPacket(0x0004, [0x42, 0x42, 0x03, 0, 0, 0], "llc stp"),
                     new NetworkPacket(0x0004, [0xfe, 0xfe, 0x03, 0x83, 0x1b, 1, 0, 0x12, 0, 0], "llc isis"),
                     new NetworkPacket(0x0004, [0xe0, 0xe0, 0x03, 0xff, 0xff], "llc ipx"),
                     new NetworkPacket(0x0004, [0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b, 0, 0], "snap atalk"),
                     new NetworkPacket(0x0001, [0xff, 0xff, 0, 30], "raw 802.3"),
                     new NetworkPacket(0x8863, [0x11, 9, 0, 0, 0, 0], "pppoed"),
                     new NetworkPacket(0x8864, Concat([0x11, 0], U16(0x3b), U16(22), U16(0x21), Ipv4("1.1.1.1", "2.2.2.2", 1, Icmp(8))), "pppoes ip"),
                 ]))
        {
            var packetType = (i % 5) switch { 0 => 4, 1 => 1, 2 => 2, _ => 0 };
            var ifindex = (uint)(i % 11);
            i++;
            var header = dlt == 113
                ? Concat(U16(packetType), U16(1), U16(6), Mac("00:00:5e:00:53:01"), [0, 0], U16(n.EtherType))
                : Concat(U16(n.EtherType), U16(0), U32(ifindex), U16(1), [(byte)packetType, 6], Mac("00:00:5e:00:53:01"), [0, 0]);
            var frame = Concat(header, n.Bytes);
            list.Add(new CorpusPacket(frame, frame.Length, $"{n.Label} type {packetType} if {ifindex}"));
        }
        return list;
    }

    private static List<CorpusPacket> Loopback(int dlt, List<NetworkPacket> network)
    {
        var list = new List<CorpusPacket>();
        foreach (var n in network)
        {
            uint[] families = n.EtherType switch { 0x0800 => [2], 0x86dd => [10, 24, 28, 30], _ => [7] };
            foreach (var family in families)
            {
                var af = dlt == 0 ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(family) : family;
                var frame = Concat(U32(af), n.Bytes);
                list.Add(new CorpusPacket(frame, frame.Length, $"af {family} {n.Label}"));
            }
        }
        return list;
    }

    /// <summary>Adds copies cut short at interesting lengths: a load beyond the capture rejects the packet.</summary>
    private static List<CorpusPacket> WithTruncations(List<CorpusPacket> packets)
    {
        var result = new List<CorpusPacket>(packets);
        int[] cuts = [1, 4, 10, 13, 14, 15, 16, 17, 18, 20, 22, 24, 26, 30, 34, 36, 38, 40, 42, 46, 50, 54, 56, 58, 62, 66, 70];
        for (var i = 0; i < packets.Count; i += 3)
        {
            var p = packets[i];
            var cut = cuts[(i / 3) % cuts.Length];
            if (cut < p.Data.Length)
                result.Add(new CorpusPacket(p.Data[..cut], p.WireLength, $"{p.Label} cut {cut}"));
        }
        return result;
    }
}

using Wirecap.Formats;

namespace Wirecap.Tests.Formats;

/// <summary>Deterministic packets for peer tests: plausible Ethernet/IPv4/UDP frames of varied sizes and times.</summary>
public static class SamplePackets
{
    public const long Start = 1_700_000_000_123_456_789;

    public static List<Packet> Make(int count, int interfaces = 1, int seed = 42, bool withOptions = false)
    {
        var random = new Random(seed);
        var packets = new List<Packet>(count);
        long ts = Start;
        for (int i = 0; i < count; i++)
        {
            var frame = new byte[random.Next(42, 300)];
            random.NextBytes(frame);
            frame[12] = 0x08; frame[13] = 0x00;          // IPv4
            frame[14] = 0x45;                            // version 4, 20-byte header
            ts += random.Next(1, 2_000_000_000);
            int iface = i % interfaces;
            packets.Add(new Packet(frame, ts, frame.Length + (i % 3 == 0 ? 100 : 0), LinkType.Ethernet, iface)
            {
                Comments = withOptions && i % 4 == 1 ? [$"packet {i}", "ünïcödé comment"] : withOptions && i % 4 == 2 ? [$"only {i}"] : [],
                Flags = withOptions ? (uint)(1 + i % 2) : 0,
                DropCount = withOptions && i % 5 == 0 ? (ulong)i : null,
                PacketId = withOptions && i % 3 == 0 ? 0x1000_0000_0000UL + (ulong)i : null,
                Hash = withOptions && i % 7 == 0 ? [2, 1, 2, 3, 4] : null,
            });
        }
        return packets;
    }

    /// <summary>What a peer should report for a packet once written with the given snap length and timestamp unit.</summary>
    public static PeerFrame Expected(Packet p, int snapLength = 0, long unitNanoseconds = 1, bool withComments = false)
    {
        int kept = snapLength > 0 ? Math.Min(p.Data.Length, snapLength) : p.Data.Length;
        long ts = p.TimestampNanoseconds - p.TimestampNanoseconds % unitNanoseconds;
        return new PeerFrame(PeerFrame.EpochOf(ts), p.OriginalLength, kept, p.InterfaceId,
            Convert.ToHexStringLower(p.Data.Span[..kept]), withComments ? string.Join("|", p.Comments) : "");
    }
}

using System.Net;
using Wirecap.Formats.Ncap;
using FsCheck;
using FsCheck.Fluent;

namespace Wirecap.Tests.Ncap;

/// <summary>Hex helpers and generators shared by the NCAP tests.</summary>
internal static class NcapTestData
{
    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    public static byte[] Encode(NcapMessage message)
    {
        byte[] result = [];
        message.WithRecord(0, (_, record) =>
        {
            var buffer = new byte[record.EncodedLength];
            NcapMessageEncoder.Encode(record, buffer);
            result = buffer;
        });
        return result;
    }

    public static byte[] WriteStream(IEnumerable<NcapMessage> messages)
    {
        using var stream = new MemoryStream();
        using (var writer = new NcapWriter(stream, leaveOpen: true))
            foreach (var message in messages) writer.Write(message);
        return stream.ToArray();
    }

    public static List<NcapMessage> ReadStream(Stream stream)
    {
        var messages = new List<NcapMessage>();
        using var reader = new NcapReader(stream, leaveOpen: true);
        while (reader.Read()) messages.Add(reader.Current.ToMessage());
        return messages;
    }

    public static Gen<NcapMessage> Messages()
    {
        var uints = ArbMap.Default.GeneratorFor<uint>();
        var ushorts = ArbMap.Default.GeneratorFor<ushort>();
        var bytes = ArbMap.Default.GeneratorFor<byte>();
        var v4 = Gen.ArrayOf(bytes, 4).Select(b => new IPAddress(b));
        var v6 = Gen.ArrayOf(bytes, 16).Select(b => new IPAddress(b));
        var addresses = Gen.OneOf(
            v4.SelectMany(_ => v4, (s, d) => (s, d)),
            v6.SelectMany(_ => v6, (s, d) => (s, d)));
        var payload = Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(bytes, n));
        var transport = Gen.Elements(NcapTransport.Udp, NcapTransport.Tcp, NcapTransport.Icmp);
        return
            from seconds in uints
            from nanoseconds in Gen.Choose(0, 999_999_999)
            from user1 in uints
            from user2 in uints
            from pair in addresses
            from tp in transport
            from sport in ushorts
            from dport in ushorts
            from offset in uints
            from flags in Gen.Choose(0, 15)
            from data in payload
            select new NcapMessage
            {
                Seconds = seconds, Nanoseconds = (uint)nanoseconds, User1 = user1, User2 = user2,
                Source = pair.s, Destination = pair.d, Transport = tp,
                SourcePort = tp == NcapTransport.Icmp ? (ushort)0 : sport,
                DestinationPort = tp == NcapTransport.Icmp ? (ushort)0 : dport,
                TcpOffset = tp == NcapTransport.Tcp ? offset : 0,
                TcpFlags = tp == NcapTransport.Tcp ? (NcapTcpFlags)flags : 0,
                IcmpType = tp == NcapTransport.Icmp ? (byte)sport : (byte)0,
                IcmpCode = tp == NcapTransport.Icmp ? (byte)dport : (byte)0,
                Payload = data,
            };
    }
}

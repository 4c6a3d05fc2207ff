using System.Buffers.Binary;
using System.Net;

namespace Wirecap.Cli.Sample;

/// <summary>Minimal DNS messages for the sample: a recursive query with an EDNS OPT record, and
/// its answer.</summary>
internal static class DnsMessages
{
    public static byte[] Query(ushort id, string name, ushort type)
    {
        var message = new List<byte>();
        Header(message, id, flags: 0x0100, questions: 1, answers: 0, additional: 1);
        Question(message, name, type);
        message.AddRange([0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]); // OPT: root, UDP size 1232
        return [.. message];
    }

    public static byte[] Answer(ushort id, string name, ushort type, params string[] addresses)
    {
        var message = new List<byte>();
        Header(message, id, flags: 0x8180, questions: 1, answers: (ushort)addresses.Length, additional: 0);
        Question(message, name, type);
        foreach (var address in addresses)
        {
            var bytes = IPAddress.Parse(address).GetAddressBytes();
            message.AddRange([0xC0, 12]); // pointer to the question name
            AddUInt16(message, type);
            AddUInt16(message, 1);
            message.AddRange([0, 0, 0x0E, 0x10]); // TTL 3600
            AddUInt16(message, (ushort)bytes.Length);
            message.AddRange(bytes);
        }
        return [.. message];
    }

    private static void Header(List<byte> message, ushort id, ushort flags, ushort questions, ushort answers, ushort additional)
    {
        AddUInt16(message, id);
        AddUInt16(message, flags);
        AddUInt16(message, questions);
        AddUInt16(message, answers);
        AddUInt16(message, 0);
        AddUInt16(message, additional);
    }

    private static void Question(List<byte> message, string name, ushort type)
    {
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        message.Add(0);
        AddUInt16(message, type);
        AddUInt16(message, 1);
    }

    private static void AddUInt16(List<byte> message, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        message.AddRange(bytes.ToArray());
    }
}

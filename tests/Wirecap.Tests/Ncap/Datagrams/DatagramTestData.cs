using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Wirecap.Formats.Ncap;

namespace Wirecap.Tests.Ncap.Datagrams;

/// <summary>Messages numbered through their payload, and raw UDP sockets to play a sender or a
/// receiver byte by byte.</summary>
internal static class DatagramTestData
{
    public static NcapMessage Numbered(int index) => new()
    {
        Seconds = 1_700_000_000 + (uint)index,
        Nanoseconds = 123_456_000,
        Source = IPAddress.Parse("10.0.0.1"),
        Destination = IPAddress.Parse("10.0.0.2"),
        Transport = NcapTransport.Udp,
        SourcePort = 1111,
        DestinationPort = 53,
        Payload = BitConverter.GetBytes(index).Concat(new byte[index % 13]).ToArray(),
    };

    public static int NumberOf(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt32LittleEndian(payload);

    public static Socket RawSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    public static byte[] Header()
    {
        var header = new byte[NcapLayout.FileHeaderLength];
        NcapMessageEncoder.WriteFileHeader(header);
        return header;
    }

    /// <summary>Every datagram waiting on <paramref name="socket"/>.</summary>
    public static List<byte[]> Drain(Socket socket, int expected)
    {
        var datagrams = new List<byte[]>();
        var buffer = new byte[70_000];
        while (datagrams.Count < expected && socket.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectRead))
            datagrams.Add(buffer.AsSpan(0, socket.Receive(buffer)).ToArray());
        return datagrams;
    }

    /// <summary>Drains on a thread of its own, for more datagrams than a socket buffer holds.</summary>
    public static Task<List<byte[]>> DrainInBackground(Socket socket, int expected) => Task.Run(() => Drain(socket, expected));

    public static bool IsHeader(byte[] datagram) => datagram.Length == NcapLayout.FileHeaderLength && NcapMessageDecoder.HasMagic(datagram);

    public static int FreeUdpPort()
    {
        using var probe = RawSocket();
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}

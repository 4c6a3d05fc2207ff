using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Wirecap.Cli;
using Wirecap.Tests.Cli;
using Wirecap.Formats;
using Wirecap.Linux;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Sinks.Remote;

/// <summary>Zephyr's net_capture tunnel: one frame per UDP datagram, as net-capture.py receives them.</summary>
public sealed class ZephyrReceiverTests : TempDirectoryFixture
{
    /// <summary>A frame of <paramref name="linkType"/> with a valid header and a numbered, patterned body.</summary>
    internal static byte[] Frame(LinkType linkType, int number)
    {
        int header = linkType switch { LinkType.LinuxSll => 16, LinkType.LinuxSll2 => 20, _ => 14 };
        var frame = new byte[header + 20 + number * 37 % 1400];
        switch (linkType)
        {
            case LinkType.LinuxSll:
                BinaryPrimitives.WriteUInt16BigEndian(frame, 4);          // sent by us
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1); // ARPHRD_ETHER
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), 0x88b5);
                break;
            case LinkType.LinuxSll2:
                BinaryPrimitives.WriteUInt16BigEndian(frame, 0x88b5);
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 3);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);
                break;
            default:
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88b5);
                break;
        }
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(header), number);
        for (int i = header + 4; i < frame.Length; i++) frame[i] = (byte)(number * 7 + i);
        return frame;
    }

    private static void Send(IPEndPoint to, IEnumerable<byte[]> datagrams)
    {
        using var udp = new UdpClient(to.AddressFamily);
        foreach (var datagram in datagrams) udp.Send(datagram, datagram.Length, to);
    }

    [Test]
    public void FramesSentToLoopbackComeOutByteForByteAndShortDatagramsAreCounted(
        [Values(LinkType.Ethernet, LinkType.LinuxSll, LinkType.LinuxSll2)] LinkType linkType,
        [Values("127.0.0.1", "::1")] string address)
    {
        const int count = 300;
        using var receiver = ZephyrCaptureReceiver.Bind(new ZephyrReceiverOptions { Endpoint = new IPEndPoint(IPAddress.Parse(address), 0), LinkType = linkType });
        var sent = Enumerable.Range(0, count).Select(i => Frame(linkType, i)).ToList();
        var datagrams = new List<byte[]>();
        int header = linkType switch { LinkType.LinuxSll => 16, LinkType.LinuxSll2 => 20, _ => 14 };
        for (int i = 0; i < count; i++)
        {
            datagrams.Add(sent[i]);
            if (i % 50 == 0) datagrams.Add(sent[i][..(header - 1)]); // one byte short of a link-layer header
        }
        long before = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        Send(new IPEndPoint(IPAddress.Parse(address), receiver.LocalEndPoint.Port), datagrams);

        var received = new List<(byte[] Data, long Time, LinkType LinkType)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        receiver.Capture((in CapturedFrame frame) => received.Add((frame.Data.ToArray(), frame.TimestampNanoseconds, frame.LinkType)), count, timeout.Token);

        Assert.That(received.Select(r => r.Data), Is.EqualTo(sent), "every frame, byte for byte, in order");
        Assert.That(received.Select(r => r.LinkType), Is.All.EqualTo(linkType));
        long after = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        Assert.That(received.Select(r => r.Time), Is.All.InRange(before, after), "stamped on arrival");
        Assert.That(receiver.TooShort, Is.EqualTo(6));
        var statistics = receiver.GetStatistics();
        Assert.That(statistics.Delivered, Is.EqualTo(count));
        Assert.That(statistics.Received, Is.EqualTo(count + 6));
        Assert.That(statistics.DroppedByKernel, Is.Zero);
    }

    [Test]
    public void TheCliWritesWhatAZephyrDeviceSendsToIpv6Loopback([Values(LinkType.Ethernet, LinkType.LinuxSll2)] LinkType linkType)
    {
        const int count = 40;
        int port = FreeUdpPort(AddressFamily.InterNetworkV6);
        string output = Path.Combine(TempDir, "zephyr.pcapng");
        string[] args = ["--listen", $"zephyr:[::1]:{port}", "-y", linkType == LinkType.Ethernet ? "EN10MB" : "LINUX_SLL2", "-c", $"{count}", "-w", output];
        var listening = Task.Run(() => CliRunner.Run(args));
        PortWaiter.WaitUntilBound(port, failedEarly: () => listening.IsCompleted ? listening.Result.StdErr : null);
        var sent = Enumerable.Range(0, count).Select(i => Frame(linkType, i)).ToList();
        Send(new IPEndPoint(IPAddress.IPv6Loopback, port), [new byte[3], .. sent]);
        Assert.That(listening.Wait(TimeSpan.FromSeconds(20)), Is.True, "the listener did not stop after -c frames");
        var result = listening.Result;
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdErr, Does.Contain("1 datagrams too short"));
        Assert.That(result.StdErr, Does.Not.Contain("warning"), "loopback needs no warning");
        using var reader = CaptureReader.Open(output);
        var written = new List<byte[]>();
        while (reader.Read())
        {
            Assert.That(reader.Current.LinkType, Is.EqualTo(linkType));
            written.Add(reader.Current.Data.ToArray());
        }
        Assert.That(written, Is.EqualTo(sent));
    }

    [Test]
    public void AReceiverFeedsTheFileSinkLikeAnyLiveCapture()
    {
        using var receiver = ZephyrCaptureReceiver.Bind(new ZephyrReceiverOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        string path = Path.Combine(TempDir, "sink.pcapng");
        var sent = Enumerable.Range(0, 25).Select(i => Frame(LinkType.Ethernet, i)).ToList();
        Send(receiver.LocalEndPoint, sent);
        using (var sink = new CaptureFileSink(path, new CaptureFileSinkOptions { Writer = new CaptureWriterOptions { Interfaces = [receiver.WriterInterface] } }))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Assert.That(sink.WriteFrom(receiver, sent.Count, timeout.Token), Is.EqualTo(sent.Count));
        }
        using var reader = CaptureReader.Open(path);
        Assert.That(reader.Interfaces[0].Name, Does.StartWith("zephyr:127.0.0.1:"));
        var written = new List<byte[]>();
        while (reader.Read()) written.Add(reader.Current.Data.ToArray());
        Assert.That(written, Is.EqualTo(sent));
    }

    [Test]
    public void ListenTargetsBindLoopbackUnlessAnAddressIsGiven()
    {
        Assert.That(ListenTarget.Parse("zephyr").Endpoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 4242)));
        Assert.That(ListenTarget.Parse("tcp:9000").Endpoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 9000)));
        Assert.That(ListenTarget.Parse("udp:0.0.0.0:53").Endpoint, Is.EqualTo(new IPEndPoint(IPAddress.Any, 53)));
        Assert.That(ListenTarget.Parse("zephyr:[::]:4243").Endpoint, Is.EqualTo(new IPEndPoint(IPAddress.IPv6Any, 4243)));
        Assert.That(ListenTarget.Parse("tcp:127.0.0.1:1").IsExposed, Is.False);
        Assert.That(ListenTarget.Parse("tcp:[::]:1").IsExposed, Is.True);
        Assert.Throws<CliUsageException>(() => ListenTarget.Parse("tcp::::1:5"));
        Assert.Throws<CliUsageException>(() => ListenTarget.Parse("tcp:example.com:5"));
        Assert.Throws<CliUsageException>(() => ListenTarget.Parse("tcp"));
    }

    internal static int FreeUdpPort(AddressFamily family)
    {
        using var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

using System.Net;
using System.Net.Sockets;
using Wirecap.Formats;
using Wirecap.Linux;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Sinks.Remote;

/// <summary>A listener given no address binds loopback: from the other end of a veth pair it is not there, from its
/// own host it is. Each case runs the real command line in a namespace of its own.</summary>
[NonParallelizable]
public sealed class LoopbackListenerTests : TempDirectoryFixture
{
    private static string Wirecap(PairedNamespaces net, string arguments) =>
        $"netns exec {net.NameB} dotnet {LiveCliTests.Cli} {arguments}";

    private static SocketError Connect(string ns, string address, int port) => NetnsThread.Run(ns, () =>
    {
        using var client = new TcpClient();
        try
        {
            client.ConnectAsync(IPAddress.Parse(address), port).Wait(TimeSpan.FromSeconds(5));
            return client.Connected ? SocketError.Success : SocketError.TimedOut;
        }
        catch (AggregateException e) when (e.InnerException is SocketException s)
        {
            return s.SocketErrorCode;
        }
    });

    [Test]
    public void ATcpListenerWithNoAddressIsReachableOnlyFromItsOwnHost()
    {
        using var net = new PairedNamespaces();
        string directory = Path.Combine(TempDir, "streams") + "/";
        using var quiet = new ReadyProcess("ip", Wirecap(net, $"--listen tcp:47001 -w {directory}"), "listening on");
        using var open = new ReadyProcess("ip", Wirecap(net, $"--listen tcp:0.0.0.0:47002 -w {directory}"), "listening on");

        Assert.That(Connect(net.NameA, net.AddressB, 47001), Is.EqualTo(SocketError.ConnectionRefused), "no address: nothing listens on the veth address");
        Assert.That(Connect(net.NameB, "127.0.0.1", 47001), Is.EqualTo(SocketError.Success), "but it listens on loopback");
        Assert.That(Connect(net.NameA, net.AddressB, 47002), Is.EqualTo(SocketError.Success), "an address given is reachable (the test can tell)");
        Assert.That(quiet.Stderr, Does.Contain("listening on tcp:127.0.0.1:47001").And.Not.Contain("warning"));
        Assert.That(open.Stderr, Does.Contain("warning: listening on 0.0.0.0 without TLS"));
    }

    [Test]
    public void ATcpListenerOnEveryAddressWithTlsGivesNoWarning()
    {
        using var net = new PairedNamespaces();
        string directory = Path.Combine(TempDir, "streams") + "/";
        string tls = string.Join(' ', new TestCertificates("loopback").WritePem(TempDir, "collector", server: true));
        using var open = new ReadyProcess("ip", Wirecap(net, $"--listen tcp:0.0.0.0:47004 -w {directory} {tls}"), "listening on");
        Assert.That(Connect(net.NameA, net.AddressB, 47004), Is.EqualTo(SocketError.Success), "reachable from the other end");
        Assert.That(open.Stderr, Does.Contain("listening on tcp:0.0.0.0:47004 for pcap/pcapng streams over TLS").And.Not.Contain("warning"));
    }

    [Test]
    public void AZephyrListenerWithNoAddressTakesOnlyLoopbackDatagrams()
    {
        using var net = new PairedNamespaces();
        string output = Path.Combine(TempDir, "zephyr.pcap");
        using var listener = new ReadyProcess("ip", Wirecap(net, $"--listen zephyr:47003 -c 1 -w {output}"), "listening on");
        var fromOutside = ZephyrReceiverTests.Frame(LinkType.Ethernet, 1);
        var fromInside = ZephyrReceiverTests.Frame(LinkType.Ethernet, 2);
        net.SendUdpFromA(47003, fromOutside);
        Thread.Sleep(300);
        NetnsThread.Run(net.NameB, () =>
        {
            using var udp = new UdpClient();
            return udp.Send(fromInside, fromInside.Length, "127.0.0.1", 47003);
        });
        Assert.That(listener.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, listener.Stderr);
        using var reader = CaptureReader.Open(output);
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.Current.Data.ToArray(), Is.EqualTo(fromInside), "the datagram to the veth address never arrived");
        Assert.That(reader.Read(), Is.False);
    }
}

using NUnit.Framework;
using Wirecap.Linux.Probes;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Probes.ProbeTestSupport;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>An skb without a MAC header (received on a tun device) gets a made-up Ethernet header, as Retis makes one.</summary>
[NonParallelizable]
public class ProbeFakeEthernetTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void AnL3OnlySkbIsCopiedFromItsNetworkHeaderBehindZeroMacsAndItsProtocol(bool raw)
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        using var tun = new TunDevice(net.NameA, "cptun0", "10.204.0.1");
        var packet = TunDevice.Udp([10, 204, 0, 2], [10, 204, 0, 1], 9, "made-up header"u8.ToArray());
        using var capture = ProbeCapture.Open(new ProbeCaptureOptions
        {
            Probes = ["tp:net:netif_receive_skb"],
            Netns = net.NameA,
            FilterExpression = "udp port 9",
            RawTracepoints = raw,
        });
        var packets = Collect(capture, () => tun.Receive(packet));

        Assert.That(packets, Has.Count.EqualTo(1));
        var seen = packets[0];
        Assert.That(seen.FakeEthernetHeader, Is.True);
        Assert.That(Convert.ToHexString(seen.Data), Is.EqualTo("000000000000" + "000000000000" + "0800" + Convert.ToHexString(packet)));
        Assert.That(seen.OriginalLength, Is.EqualTo(14 + packet.Length));
        Assert.That(seen.Protocol, Is.EqualTo(0x0800));
    }
}

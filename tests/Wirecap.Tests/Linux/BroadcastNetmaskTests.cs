using System.Net;
using NUnit.Framework;
using Wirecap.Bpf;
using Wirecap.Cli.Sample;
using Wirecap.Filter;
using Wirecap.Linux;
using Wirecap.Tests.Filter;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Linux;

/// <summary>
/// <c>ip broadcast</c> on a live interface takes that interface's IPv4 netmask, as pcap-filter(7) says ("looks up the
/// subnet mask on the interface on which the capture is being done"): the mask iproute2 shows (0 without an IPv4
/// address, as pcap_lookupnet's callers fall back to), compiled by libpcap, keeps the same packets as our program,
/// and a live capture keeps the subnet's broadcasts. (tcpdump 4.99.3 itself looks the mask up only under -f, and then
/// passes it to pcap_compile in network byte order; see the README.)
/// </summary>
[TestFixture, NonParallelizable]
public class BroadcastNetmaskTests
{
    [Test]
    public void Ip_broadcast_on_an_interface_means_what_libpcap_compiles_with_its_netmask()
    {
        using var net = new TestNetwork();
        var prefix = net.AddressA[..net.AddressA.LastIndexOf('.')];
        net.Exec($"ip addr flush dev {net.InnerA} && ip addr add {prefix}.1/28 dev {net.InnerA}");
        var bare = net.InnerA.Replace("cva", "cvc");
        net.Exec($"ip link add {bare} type veth peer name {bare}p && ip link set {bare} up");
        var harvest = new PacketCorpus.Harvest();
        foreach (var host in new[] { ".255", ".0", ".15", ".16", ".7", ".254" })
            harvest.AddAddress(IPAddress.Parse(prefix + host));
        var corpus = PacketCorpus.For(1, harvest);
        using var oracle = PcapOracle.Start();
        oracle.SetCorpus(corpus);
        foreach (var device in new[] { net.InnerB, net.InnerA, bare, "lo" })
        {
            var shown = net.Exec($"ip -o -4 addr show dev {device}");
            var length = shown.Contains("inet ", StringComparison.Ordinal) ? int.Parse(shown.Split("inet ")[1].Split(' ')[0].Split('/')[1]) : 0;
            var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
            var netmask = net.Run(() => CaptureDevices.Ipv4Netmask(device));
            Assert.That(netmask, Is.EqualTo(new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mask))), device);
            var ours = FilterCompiler.Compile("ip broadcast", LinkType.Ethernet, new FilterOptions { Netmask = netmask });
            Assert.That(oracle.Compile(1, 262144, mask, optimize: true, "ip broadcast").Error, Is.Null, device);
            oracle.Load(ours.Instructions);
            var (expected, actual) = oracle.RunAll();
            Assert.That(actual, Is.EqualTo(expected), device);
            var cli = net.Run(() => Cli.CliRunner.Run(["-d", "-i", device, "ip broadcast"]));
            Assert.That(cli.ExitCode, Is.Zero, cli.StdErr);
            Assert.That(cli.StdOut, Is.EqualTo(BpfDisassembler.Format(ours.Instructions, BpfTextFormat.Listing)), device);
        }
        Assert.That(CaptureDevices.Ipv4Netmask("any"), Is.EqualTo(IPAddress.Any));
    }

    [Test]
    public void A_live_capture_keeps_the_broadcasts_of_its_interfaces_subnet()
    {
        using var net = new TestNetwork();
        var prefix = net.AddressB[..net.AddressB.LastIndexOf('.')];
        byte[] Frame(string destination) => FrameBuilder.Ethernet(TestFrames.MacA, TestFrames.Broadcast, EtherTypes.IPv4,
            FrameBuilder.Ipv4(IPAddress.Parse(net.AddressA).GetAddressBytes(), IPAddress.Parse(destination).GetAddressBytes(), 17,
                FrameBuilder.Udp(40000, 9999, new byte[8]), fragment: 0), pad: false);
        // libpcap's test looks at the host part only, so 10.9.8.255 is a broadcast on a /24 too.
        var wanted = new[] { Frame(prefix + ".255"), Frame(prefix + ".0"), Frame("255.255.255.255"), Frame("10.9.8.255") };
        var unwanted = new[] { Frame(prefix + ".7"), Frame("10.9.8.7"), Frame("224.0.0.1"), Frame(prefix + ".254") };
        var captured = net.Run(() =>
        {
            var options = LiveCapture.Options(net.InnerB);
            options.FilterExpression = "ip broadcast";
            using var capture = PacketCapture.Open(options);
            using (var injector = new FrameInjector(net.InnerA))
                for (var i = 0; i < wanted.Length; i++)
                {
                    injector.Send(unwanted[i]);
                    injector.Send(wanted[i]);
                }
            return LiveCapture.CollectQuiet(capture, TimeSpan.FromMilliseconds(200)).Select(f => f.Data).ToList();
        });
        FrameAssert.Same(wanted.ToList(), captured, "the host part all ones or all zeros under the /24");
    }
}

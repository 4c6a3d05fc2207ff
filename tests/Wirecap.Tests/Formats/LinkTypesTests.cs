using Wirecap.Formats;
using NUnit.Framework;

namespace Wirecap.Tests.Formats;

public class LinkTypesTests
{
    [TestCase(12, LinkType.Raw)]
    [TestCase(14, LinkType.Raw)]
    [TestCase(11, LinkType.AtmRfc1483)]
    [TestCase(1, LinkType.Ethernet)]
    [TestCase(113, LinkType.LinuxSll)]
    [TestCase(276, LinkType.LinuxSll2)]
    [TestCase(4321, (LinkType)4321)]
    public void Dlt_to_link_type(int dlt, LinkType expected) => Assert.That(LinkTypes.FromDlt(dlt), Is.EqualTo(expected));

    [TestCase(LinkType.Raw, 12)]
    [TestCase(LinkType.Ipv4, 228)]
    [TestCase(LinkType.Loop, 108)]
    [TestCase((LinkType)4321, 4321)]
    public void Link_type_to_dlt(LinkType linkType, int expected) => Assert.That(LinkTypes.ToDlt(linkType), Is.EqualTo(expected));

    [TestCase(LinkType.Ethernet, "EN10MB")]
    [TestCase(LinkType.Raw, "RAW")]
    [TestCase(LinkType.Null, "NULL")]
    [TestCase(LinkType.Loop, "LOOP")]
    [TestCase(LinkType.LinuxSll, "LINUX_SLL")]
    [TestCase(LinkType.LinuxSll2, "LINUX_SLL2")]
    [TestCase(LinkType.Ipv4, "IPV4")]
    [TestCase(LinkType.Ipv6, "IPV6")]
    public void Names_round_trip(LinkType linkType, string name)
    {
        Assert.That(LinkTypes.GetName(linkType), Is.EqualTo(name));
        Assert.That(LinkTypes.TryParse("dlt_" + name.ToLowerInvariant(), out var parsed) && parsed == linkType, Is.True);
    }

    [Test]
    public void Unknown_values_have_no_name()
    {
        Assert.That(LinkTypes.GetName((LinkType)60000), Is.Null);
        Assert.That(LinkTypes.TryParse("NOT_A_LINK_TYPE", out _), Is.False);
    }

    [Test]
    public void Names_agree_with_tcpdump()
    {
        // tcpdump -r prints "link-type NAME (description)" with libpcap's DLT names.
        var dir = Path.Combine(AppContext.BaseDirectory, "TestData", "libpcap-pcap");
        Infrastructure.Tool.Require("tcpdump");
        foreach (var file in new[] { "vrrp.pcap", "loopback.pcap", "pppoe.pcap", "ieee802.11_exthdr.pcap" })
        {
            var path = Path.Combine(dir, file);
            var (_, _, stderr) = Infrastructure.Tool.Run("tcpdump", $"-c 1 -nn -r \"{path}\"");
            using var reader = CaptureReader.Open(path);
            Assert.That(stderr, Does.Contain($"link-type {LinkTypes.GetName(reader.Interfaces[0].LinkType)} ("), file);
        }
    }
}

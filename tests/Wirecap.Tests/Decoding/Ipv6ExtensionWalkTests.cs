using Wirecap.Decoding;
using NUnit.Framework;
using static Wirecap.Tests.Decoding.FragmentBuilder;

namespace Wirecap.Tests.Decoding;

/// <summary>The one IPv6 extension-header walk, used by decoding and by reassembly.</summary>
public class Ipv6ExtensionWalkTests
{
    private static Ipv6ExtensionWalk Walk(byte[] packet)
    {
        Assert.That(Ipv6Header.TryParse(packet, out var header), Is.True);
        return header.WalkExtensionHeaders();
    }

    [Test]
    public void StepsOverHopByHopAndStopsAtTheUpperLayerBehindTheFragmentHeader()
    {
        var second = FragmentIPv6(IPv6Datagram(64, hopByHopUnits: 3), 0xC0FFEE, 32)[1];
        var walk = Walk(second);
        Assert.That((walk.Protocol, walk.Offset), Is.EqualTo((IpProtocols.HopByHop, 0)));
        Assert.That(walk.TryStep(), Is.True);
        Assert.That((walk.Protocol, walk.Offset), Is.EqualTo((IpProtocols.Fragment, 24)));
        Assert.That(walk.TryReadFragment(out var fragment), Is.True);
        Assert.That(fragment, Is.EqualTo(new Ipv6Fragment(true, 32, false, 0xC0FFEE)));
        Assert.That(walk.TryStep(), Is.True);
        Assert.That((walk.Protocol, walk.Offset), Is.EqualTo((IpProtocols.Udp, 32)));
        Assert.That(walk.TryReadFragment(out _), Is.False);
        Assert.That(walk.TryStep(), Is.False);
        Assert.That(walk.Truncated, Is.False);

        Assert.That(Ipv6Header.TryParse(second, out var header), Is.True);
        Assert.That(header.TryFindUpperLayer(out byte protocol, out int offset, out var crossed), Is.True);
        Assert.That((protocol, offset, crossed), Is.EqualTo((IpProtocols.Udp, 32, fragment)));
    }

    [Test]
    public void AHeaderLongerThanWhatWasCapturedStopsTheWalkAsTruncated()
    {
        var packet = IPv6Datagram(16, hopByHopUnits: 1);
        packet[41] = 5; // claims 48 bytes, 24 follow the fixed header
        var walk = Walk(packet);
        Assert.That(walk.TryStep(), Is.False);
        Assert.That((walk.Protocol, walk.Offset, walk.Truncated), Is.EqualTo((IpProtocols.HopByHop, 0, true)));
        Assert.That(Ipv6Header.TryParse(packet, out var header) && header.TryFindUpperLayer(out _, out _, out _), Is.False);
    }

    [Test]
    public void EspIsAHeaderTheWalkCannotSeePast()
    {
        var packet = IPv6Datagram(16);
        packet[6] = IpProtocols.Esp;
        var walk = Walk(packet);
        Assert.That(walk.TryStep(), Is.False);
        Assert.That((walk.Protocol, walk.Truncated), Is.EqualTo((IpProtocols.Esp, false)));
    }

    [Test]
    public void AnAuthenticationHeaderIsMeasuredInFourByteUnits()
    {
        var packet = IPv6Datagram(32);
        packet[6] = IpProtocols.AuthenticationHeader;
        packet[40] = IpProtocols.Tcp;
        packet[41] = 2; // (2 + 2) × 4 = 16 bytes
        var walk = Walk(packet);
        Assert.That(walk.TryStep(), Is.True);
        Assert.That((walk.Protocol, walk.Offset), Is.EqualTo((IpProtocols.Tcp, 16)));
    }
}

using System.Net;

namespace Wirecap.Sinks;

/// <summary>Where a <see cref="ZephyrCaptureReceiver"/> listens and what the datagrams hold.</summary>
public sealed class ZephyrReceiverOptions
{
    /// <summary>net_capture's default tunnel port.</summary>
    public const int DefaultPort = 4242;

    /// <summary>The address to bind: loopback by default; <see cref="IPAddress.IPv6Any"/> takes IPv4 and IPv6 alike.</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, DefaultPort);

    /// <summary>What each datagram's payload starts with: <see cref="Wirecap.LinkType.Ethernet"/> (net-capture.py's
    /// default), <see cref="Wirecap.LinkType.LinuxSll"/> (its <c>-c</c>) or <see cref="Wirecap.LinkType.LinuxSll2"/> (<c>-C</c>).</summary>
    public LinkType LinkType { get; init; } = LinkType.Ethernet;

    /// <summary>Most bytes kept of a frame (the rest is counted in its original length).</summary>
    public int SnapLength { get; init; } = 65535;

    /// <summary>A pcap-filter expression the frames must match, or null.</summary>
    public string? FilterExpression { get; init; }

    /// <summary>The socket's receive buffer (the kernel caps it at net.core.rmem_max); what overflows it is counted
    /// as dropped by the kernel.</summary>
    public int ReceiveBufferBytes { get; init; } = 4 << 20;

    /// <summary>The shortest datagram that holds a whole link-layer header of <see cref="LinkType"/>.</summary>
    internal int MinimumLength => LinkType switch
    {
        LinkType.Ethernet => 14,
        LinkType.LinuxSll => LinuxCookedHeader.V1Length,
        LinkType.LinuxSll2 => LinuxCookedHeader.V2Length,
        _ => throw new ArgumentException($"Zephyr's net_capture sends Ethernet, LINUX_SLL or LINUX_SLL2 frames, not {LinkType}", nameof(LinkType)),
    };

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint, nameof(Endpoint));
        _ = MinimumLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapLength, 1, nameof(SnapLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReceiveBufferBytes, 1, nameof(ReceiveBufferBytes));
    }
}

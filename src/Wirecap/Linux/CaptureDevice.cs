using System.Net;
using Wirecap.Formats;

namespace Wirecap.Linux;

/// <summary>A network interface as a capture sees it (tcpdump's <c>-D</c> list).</summary>
/// <param name="Name">Interface name, e.g. <c>eth0</c>.</param>
/// <param name="Index">Kernel interface index.</param>
/// <param name="LinkType">The link type of packets captured on it (Ethernet, raw IP, or LINUX_SLL2 when captured cooked).</param>
/// <param name="HardwareType">The kernel's ARPHRD_* type.</param>
/// <param name="IsUp">Administratively up (IFF_UP).</param>
/// <param name="IsRunning">Operationally up, carrier present (IFF_RUNNING).</param>
/// <param name="IsLoopback">A loopback device.</param>
/// <param name="Mtu">Maximum transmission unit in bytes.</param>
/// <param name="HardwareAddress">Link-layer address (empty when the device has none).</param>
/// <param name="Addresses">IPv4 and IPv6 addresses assigned to it.</param>
public sealed record CaptureDevice(string Name, int Index, LinkType LinkType, ushort HardwareType, bool IsUp, bool IsRunning,
    bool IsLoopback, int Mtu, byte[] HardwareAddress, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>A wireless device (802.11, IrDA, 802.15.4), as libpcap tells one.</summary>
    public bool IsWireless { get; init; }

    /// <summary>Whether the device is plugged into a network: its link state as the driver reports it (ETHTOOL_GLINK).</summary>
    public DeviceConnection Connection { get; init; }
}

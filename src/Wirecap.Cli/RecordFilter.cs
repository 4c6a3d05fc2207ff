using Wirecap.Bpf;
using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>
/// Runs a filter program over records read from a file, as a socket filter runs over packets: 0
/// drops the record, any other result keeps at most that many bytes. The metadata a program may ask
/// for comes from the record (wire length, and the network header and protocol by link type); the
/// kernel-only metadata (interface, mark, VLAN tag held outside the frame) is not in a file and reads as 0.
/// </summary>
internal sealed class RecordFilter(BpfFilter filter)
{
    /// <summary>The bytes to keep of <paramref name="data"/>, or false to drop the record.</summary>
    public bool TryKeep(ReadOnlySpan<byte> data, int originalLength, LinkType linkType, out int keep)
    {
        BpfContext context = Context(data, originalLength, linkType);
        uint result = filter.Run(data, context);
        keep = (int)Math.Min((uint)data.Length, result);
        return result != 0;
    }

    private static BpfContext Context(ReadOnlySpan<byte> data, int originalLength, LinkType linkType)
    {
        var (network, protocol, hardware) = linkType switch
        {
            LinkType.Ethernet => (14, BigEndian16(data, 12), (ushort)1),
            LinkType.LinuxSll => (LinuxCookedHeader.V1Length, BigEndian16(data, 14), BigEndian16(data, 2)),
            LinkType.LinuxSll2 => (LinuxCookedHeader.V2Length, BigEndian16(data, 0), BigEndian16(data, 8)),
            LinkType.Raw or LinkType.Ipv4 or LinkType.Ipv6 => (0, IpVersionProtocol(data), (ushort)0xfffe),
            _ => (0, (ushort)0, (ushort)0),
        };
        return new BpfContext
        {
            WireLength = (uint)Math.Max(originalLength, data.Length),
            NetworkHeaderOffset = network,
            Protocol = protocol,
            HardwareType = hardware,
        };
    }

    private static ushort BigEndian16(ReadOnlySpan<byte> data, int offset) =>
        data.Length >= offset + 2 ? (ushort)(data[offset] << 8 | data[offset + 1]) : (ushort)0;

    private static ushort IpVersionProtocol(ReadOnlySpan<byte> data) =>
        data.Length == 0 ? (ushort)0 : (ushort)((data[0] >> 4) switch { 4 => 0x0800, 6 => 0x86dd, _ => 0 });
}

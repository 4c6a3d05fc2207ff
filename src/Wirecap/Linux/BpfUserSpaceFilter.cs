using Wirecap.Bpf;
using Wirecap.Formats;

namespace Wirecap.Linux;

/// <summary>Runs a program in this process with the kernel's semantics, feeding the interpreter the ancillary
/// data the kernel would have had (protocol, packet type, interface, VLAN tag from the ring's frame header).</summary>
internal sealed class BpfUserSpaceFilter(BpfProgram program) : IUserSpaceFilter
{
    public uint Run(ReadOnlySpan<byte> packet, in CapturedFrame frame)
    {
        var context = new BpfContext
        {
            Protocol = frame.Protocol,
            PacketType = frame.PacketType,
            InterfaceIndex = frame.InterfaceIndex,
            HardwareType = frame.HardwareType,
            ReceiveHash = frame.RxHash,
            VlanTci = frame.HasVlan ? frame.VlanTci : (ushort)0,
            VlanTagPresent = frame.HasVlan,
            VlanTpid = frame.HasVlan ? frame.VlanTpid : (ushort)0,
            WireLength = (uint)frame.OriginalLength,
            NetworkHeaderOffset = frame.LinkType switch
            {
                LinkType.Ethernet => 14,
                LinkType.LinuxSll2 => LinuxCookedHeader.V2Length,
                _ => 0,
            },
        };
        return BpfInterpreter.Run(program, packet, context);
    }
}

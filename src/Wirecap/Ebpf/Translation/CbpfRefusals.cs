using System.Globalization;
using Wirecap.Bpf;

namespace Wirecap.Ebpf.Translation;

/// <summary>The messages of <see cref="CbpfTranslationException"/>, each naming the instruction and the hook.</summary>
internal static class CbpfRefusals
{
    public static CbpfTranslationException Ancillary(int number, int programCounter, string hook, string why)
    {
        uint k = BpfAncillary.Base + (uint)number;
        string name = BpfAncillaryNames.NameOf(k) ?? $"SKF_AD_OFF+{number}";
        return new CbpfTranslationException(programCounter, string.Create(CultureInfo.InvariantCulture,
            $"instruction {programCounter}: the ancillary load ld [{name}] (SKF_AD_{Constant(number)}) cannot run at {hook}: {why}"));
    }

    public static CbpfTranslationException NetworkRelative(int programCounter, string hook) =>
        new(programCounter, string.Create(CultureInfo.InvariantCulture,
            $"instruction {programCounter}: a load relative to the network header (SKF_NET_OFF) cannot run at {hook}: the hook does not know where the network header starts; use an offset from the frame start"));

    private static string Constant(int number) => number switch
    {
        BpfAncillary.Protocol => "PROTOCOL",
        BpfAncillary.PacketType => "PKTTYPE",
        BpfAncillary.InterfaceIndex => "IFINDEX",
        BpfAncillary.NetlinkAttribute => "NLATTR",
        BpfAncillary.NetlinkAttributeNested => "NLATTR_NEST",
        BpfAncillary.Mark => "MARK",
        BpfAncillary.Queue => "QUEUE",
        BpfAncillary.HardwareType => "HATYPE",
        BpfAncillary.ReceiveHash => "RXHASH",
        BpfAncillary.Cpu => "CPU",
        BpfAncillary.AluXorX => "ALU_XOR_X",
        BpfAncillary.VlanTag => "VLAN_TAG",
        BpfAncillary.VlanTagPresent => "VLAN_TAG_PRESENT",
        BpfAncillary.PayloadOffset => "PAY_OFFSET",
        BpfAncillary.Random => "RANDOM",
        BpfAncillary.VlanTpid => "VLAN_TPID",
        _ => number.ToString(CultureInfo.InvariantCulture),
    };
}

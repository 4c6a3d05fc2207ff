namespace Wirecap.Bpf;

/// <summary>The short names libpcap's <c>bpf_image</c> prints for ancillary loads, e.g. <c>ld [proto]</c>.</summary>
internal static class BpfAncillaryNames
{
    private static readonly (int Number, string Name)[] s_names =
    [
        (BpfAncillary.Protocol, "proto"),
        (BpfAncillary.PacketType, "type"),
        (BpfAncillary.InterfaceIndex, "ifidx"),
        (BpfAncillary.NetlinkAttribute, "nla"),
        (BpfAncillary.NetlinkAttributeNested, "nlan"),
        (BpfAncillary.Mark, "mark"),
        (BpfAncillary.Queue, "queue"),
        (BpfAncillary.HardwareType, "hatype"),
        (BpfAncillary.ReceiveHash, "rxhash"),
        (BpfAncillary.Cpu, "cpu"),
        (BpfAncillary.AluXorX, "xor_x"),
        (BpfAncillary.VlanTag, "vlan_tci"),
        (BpfAncillary.VlanTagPresent, "vlanp"),
        (BpfAncillary.PayloadOffset, "poff"),
        (BpfAncillary.Random, "random"),
        (BpfAncillary.VlanTpid, "vlan_tpid"),
    ];

    /// <summary>The name for an <c>ld [k]</c> operand, or null when k is no known extension.</summary>
    public static string? NameOf(uint k)
    {
        if (!BpfRuntime.IsKnownAncillary(k))
            return null;
        int n = (int)(k - BpfAncillary.Base);
        foreach (var (number, name) in s_names)
            if (number == n)
                return name;
        return null;
    }

    /// <summary>The k for a name, or null.</summary>
    public static uint? KOf(string name)
    {
        foreach (var (number, known) in s_names)
            if (known == name)
                return BpfAncillary.Base + (uint)number;
        return null;
    }
}

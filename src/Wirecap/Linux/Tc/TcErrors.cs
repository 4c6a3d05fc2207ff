using System.Runtime.InteropServices;
using Wirecap.Ebpf;

namespace Wirecap.Linux.Tc;

/// <summary>The TC capture's refusals: each says what the kernel refused and what to do.</summary>
internal static class TcErrors
{
    private const int EPERM = 1, ENOENT = 2, EACCES = 13, EOPNOTSUPP = 95;

    /// <summary>An rtnetlink call failed with <paramref name="errno"/>; <paramref name="kernelText"/> is the kernel's extended-ack reason.</summary>
    public static EbpfException Netlink(string call, int errno, string? kernelText)
    {
        var system = Marshal.GetPInvokeErrorMessage(errno);
        var reason = kernelText is null ? system : $"{system}: {kernelText}";
        return errno switch
        {
            EPERM or EACCES => new EbpfPermissionException(call, errno,
                $"{call} failed ({reason}): changing an interface's TC qdiscs and filters needs CAP_NET_ADMIN; run as root or grant it (setcap cap_bpf,cap_net_admin=eip)"),
            _ => new EbpfException(call, errno, $"{call} failed ({reason}, errno {errno})"),
        };
    }

    /// <summary>True when the kernel's answer means it lacks the qdisc or filter kind asked for.</summary>
    public static bool IsMissingKind(int errno) => errno is ENOENT or EOPNOTSUPP;

    /// <summary>Neither hook is there: tcx refused as unknown, clsact as a kind the kernel lacks.</summary>
    public static EbpfNotSupportedException NoHook(string device, Exception tcx, string clsact) => new("tc", EOPNOTSUPP,
        $"cannot attach a TC program to '{device}': this kernel has no tcx ({tcx.Message}) and no clsact qdisc with cls_bpf ({clsact}); " +
        "it needs Linux 6.6 with CONFIG_NET_XGRESS, or CONFIG_NET_SCH_INGRESS and CONFIG_NET_CLS_BPF; capture with the AF_PACKET ring instead (--datapath packet)");
}

using Wirecap.Bpf;
using static Wirecap.Bpf.BpfOpcode;

namespace Wirecap.Linux;

/// <summary>A program compiled for LINUX_SLL2 reads a 20-byte cooked header that a <c>SOCK_DGRAM</c> socket's
/// kernel filter never sees (its packet starts at the network header). This rewrites the program for the kernel:
/// header fields become ancillary loads and payload offsets move down by 20. Programs that read anything else of
/// the header, or the packet length, cannot be expressed and must run in this process instead.</summary>
internal static class CookedProgramAdapter
{
    internal static bool TryAdapt(ReadOnlySpan<BpfInstruction> program, out BpfInstruction[] adapted)
    {
        adapted = program.ToArray();
        for (var i = 0; i < adapted.Length; i++)
        {
            var insn = adapted[i];
            var cls = insn.Class;
            if (cls != ClassLd && cls != ClassLdx) continue;
            var mode = insn.Mode;
            if (mode == ModeLen) return false;
            if (mode != ModeAbs && mode != ModeInd && mode != ModeMsh) continue;
            // Negative offsets (ancillary, SKF_NET_OFF, SKF_LL_OFF) do not address the cooked header.
            if ((int)insn.K < 0) continue;
            if (insn.K >= LinuxCookedHeader.V2Length)
            {
                adapted[i] = insn with { K = insn.K - LinuxCookedHeader.V2Length };
                continue;
            }
            if (mode != ModeAbs || cls != ClassLd) return false;
            uint? ancillary = (insn.K, insn.Size) switch
            {
                (0, SizeH) => BpfAncillary.Protocol,
                (4, SizeW) => BpfAncillary.InterfaceIndex,
                (8, SizeH) => BpfAncillary.HardwareType,
                (10, SizeB) => BpfAncillary.PacketType,
                _ => null,
            };
            if (ancillary is null) return false;
            adapted[i] = insn with { K = BpfAncillary.Base + ancillary.Value };
        }
        return true;
    }
}

using System.Runtime.InteropServices;
using Wirecap.Ebpf.Btf;

namespace Wirecap.Linux.Probes;

/// <summary>
/// Where a kprobe program finds a function's arguments: at a function's entry argument i is in the i-th argument
/// register of the calling convention, and the program's context is the <c>struct pt_regs</c> saved there. The
/// registers' offsets come from that struct's BTF, never compiled in; arguments past the registers (on the stack) are
/// refused.
/// </summary>
internal static class KprobeArguments
{
    /// <summary>x86-64 System V: di, si, dx, cx, r8, r9 (named members of <c>struct pt_regs</c>).</summary>
    private static readonly string[] X64Registers = ["di", "si", "dx", "cx", "r8", "r9"];

    /// <summary>AArch64 passes x0..x7; <c>struct pt_regs</c> holds them in <c>u64 regs[31]</c>.</summary>
    private const int Arm64RegisterArguments = 8;

    /// <summary>The <c>pt_regs</c> offsets of the argument registers, in argument order, for <paramref name="architecture"/>.</summary>
    /// <exception cref="ProbeException">No calling convention known for the architecture, or BTF lacks the members.</exception>
    public static IReadOnlyList<short> RegisterOffsets(BtfTypes btf, Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(btf);
        try
        {
            switch (architecture)
            {
                case Architecture.X64:
                    return X64Registers.Select(r => (short)btf.FindField("pt_regs", r).ByteOffset).ToArray();
                case Architecture.Arm64:
                    var regs = btf.FindField("pt_regs", "regs");
                    var array = regs.Type.Resolve();
                    if (array.Kind != BtfKind.Array || array.Array.Element.Size != 8 || array.Array.Count < Arm64RegisterArguments)
                        throw new ProbeException($"kprobes: pt_regs.regs in {btf.Source} is {regs.Type}, not an array of at least {Arm64RegisterArguments} u64 registers");
                    return Enumerable.Range(0, Arm64RegisterArguments).Select(i => (short)(regs.ByteOffset + 8 * i)).ToArray();
                default:
                    throw new ProbeException($"kprobes: the argument registers of {architecture} are not known here (x86-64 and arm64 are)");
            }
        }
        catch (BtfException e)
        {
            throw new ProbeException($"kprobes: {btf.Source} does not describe this architecture's struct pt_regs as expected: {e.Message}");
        }
    }
}

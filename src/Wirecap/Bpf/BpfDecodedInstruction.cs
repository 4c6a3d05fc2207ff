using System.Runtime.InteropServices;

namespace Wirecap.Bpf;

/// <summary>
/// One instruction as the interpreter runs it: the dense <see cref="BpfDecodedOp"/> in place of the
/// opcode, the same jump offsets and constant, at the same index as the original instruction (so
/// jump offsets need no remapping). A fused pair's second half is read from the next slot.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
internal readonly struct BpfDecodedInstruction(BpfDecodedOp op, byte jumpTrue, byte jumpFalse, uint k)
{
    public readonly BpfDecodedOp Op = op;
    public readonly byte JumpTrue = jumpTrue;
    public readonly byte JumpFalse = jumpFalse;
    public readonly uint K = k;
}

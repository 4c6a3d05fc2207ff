using System.Runtime.CompilerServices;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;

namespace Wirecap.Filter.Optimization;

/// <summary>The registers a statement or jump reads and writes, as bits: A, X, then M[0..15].</summary>
internal static class Registers
{
    public const int A = 1;
    public const int X = 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Memory(uint slot) => 4 << (int)slot;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int Uses, int Defines) Of(BpfInstruction s)
    {
        var code = s.Code;
        switch (code & 0x07)
        {
            case BpfOpcode.ClassLd:
                return ((code & 0xe0) switch
                {
                    BpfOpcode.ModeInd => X,
                    BpfOpcode.ModeMem => Memory(s.K),
                    _ => 0,
                }, A);
            case BpfOpcode.ClassLdx:
                return ((code & 0xe0) == BpfOpcode.ModeMem ? Memory(s.K) : 0, X);
            case BpfOpcode.ClassSt:
                return (A, Memory(s.K));
            case BpfOpcode.ClassStx:
                return (X, Memory(s.K));
            case BpfOpcode.ClassAlu:
                return ((code & 0xf0) == BpfOpcode.OpNeg ? A : (code & BpfOpcode.SrcX) != 0 ? A | X : A, A);
            case BpfOpcode.ClassMisc:
                return (code & 0xf8) == BpfOpcode.MiscTxa ? (X, A) : (A, X);
            default:
                return (0, 0);
        }
    }

    /// <summary>Registers a block's jump reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int JumpUses(ushort jump) => (jump & BpfOpcode.SrcX) != 0 ? A | X : A;

    /// <summary>
    /// What a run of blocks reads before writing it (its jumps included) and everything it writes,
    /// as if the blocks ran one after the other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int ExposedUses, int Defines) OfBlocks(IEnumerable<Block> blocks)
    {
        int uses = 0, defines = 0;
        foreach (var b in blocks)
        {
            foreach (var s in b.Statements)
            {
                var (u, d) = Of(s);
                uses |= u & ~defines;
                defines |= d;
            }
            if (b.End == BlockEnd.Branch)
                uses |= JumpUses(b.Jump) & ~defines;
        }
        return (uses, defines);
    }
}

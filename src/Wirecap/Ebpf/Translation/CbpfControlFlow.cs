using Wirecap.Bpf;
using Wirecap.Bpf.Compilation;

namespace Wirecap.Ebpf.Translation;

/// <summary>
/// Which classic instructions a translation emits. The verifier refuses a program with an instruction no path reaches,
/// and classic programs may hold dead code (the kernel's checker allows it), so only instructions reachable from the
/// first are emitted. An instruction that rejects whatever the packet (its region needs more bytes than a load can
/// ever reach, or its own load always fails) becomes a jump to the reject exit, and what only it leads to is dead too.
/// A jump to an instruction that rejects at once (that, or <c>ret #0</c>) goes straight to the reject exit, so such an
/// instruction is emitted only when the one before it falls through to it.
/// </summary>
internal sealed class CbpfControlFlow
{
    private readonly bool[] _reachable;
    private readonly bool[] _rejects;
    private readonly bool[] _retZero;
    private readonly int[] _next;

    private CbpfControlFlow(bool[] reachable, bool[] rejects, bool[] retZero, int[] next, int last)
    {
        _reachable = reachable;
        _rejects = rejects;
        _retZero = retZero;
        _next = next;
        Last = last;
    }

    /// <summary>True when some path from the first instruction reaches <paramref name="pc"/>.</summary>
    public bool IsReachable(int pc) => _reachable[pc];

    /// <summary>True when reaching <paramref name="pc"/> means the result 0 (not counting <c>ret #0</c>).</summary>
    public bool Rejects(int pc) => _rejects[pc];

    /// <summary>True when a jump to <paramref name="pc"/> may go to the reject exit instead.</summary>
    public bool RejectsAtOnce(int pc) => _rejects[pc] || _retZero[pc];

    /// <summary>The reachable instruction emitted after <paramref name="pc"/>, or -1 after the last.</summary>
    public int Next(int pc) => _next[pc];

    /// <summary>The last reachable instruction.</summary>
    public int Last { get; }

    public static CbpfControlFlow Analyze(ReadOnlySpan<BpfInstruction> program, BpfBoundsPlan plan, int limit)
    {
        int n = program.Length;
        var rejects = new bool[n];
        var retZero = new bool[n];
        for (int pc = 0; pc < n; pc++)
        {
            rejects[pc] = plan.CheckBefore(pc) > (ulong)limit || LoadAlwaysFails(program[pc], limit);
            retZero[pc] = program[pc] is { Code: BpfOpcode.RetK, K: 0 };
        }

        var reachable = new bool[n];
        var pending = new Stack<int>();
        pending.Push(0);
        while (pending.TryPop(out int pc))
        {
            if (reachable[pc]) continue;
            reachable[pc] = true;
            if (rejects[pc]) continue;
            bool jump = program[pc].Class == BpfOpcode.ClassJmp;
            foreach (int target in BpfBoundsPlan.Successors(program, pc))
                if (!reachable[target] && !(jump && (rejects[target] || retZero[target]))) pending.Push(target);
        }

        var next = new int[n];
        int following = -1, last = -1;
        for (int pc = n - 1; pc >= 0; pc--)
        {
            next[pc] = following;
            if (reachable[pc])
            {
                if (last < 0) last = pc;
                following = pc;
            }
        }
        return new CbpfControlFlow(reachable, rejects, retZero, next, last);
    }

    /// <summary>True for a load that fails on every packet: a header-relative or low negative offset out of reach, or an
    /// indirect load wider than anything a load can reach.</summary>
    private static bool LoadAlwaysFails(BpfInstruction insn, int limit)
    {
        switch (insn.Code)
        {
            case BpfOpcode.LdAbsW or BpfOpcode.LdAbsH or BpfOpcode.LdAbsB when insn.K < BpfAncillary.Base:
            case BpfOpcode.LdxMsh:
                return CbpfAddress.Resolve(insn.K, SizeOf(insn.Code), limit).Kind == CbpfAddressKind.Fails;
            case BpfOpcode.LdIndW or BpfOpcode.LdIndH or BpfOpcode.LdIndB:
                return SizeOf(insn.Code) > limit;
            default:
                return false;
        }
    }

    /// <summary>The bytes a classic load reads (MSH reads one).</summary>
    public static int SizeOf(ushort code) => code == BpfOpcode.LdxMsh ? 1 : (code & 0x18) switch
    {
        BpfOpcode.SizeW => 4,
        BpfOpcode.SizeH => 2,
        _ => 1,
    };
}

namespace Wirecap.Bpf.Compilation;

/// <summary>
/// Where the compiled filter checks the packet length once for several loads instead of once per
/// load. The program is cut into check regions (a basic block, also cut after a <c>SKF_AD_RANDOM</c>
/// load, the only load with an effect outside the filter). Every absolute load of a region runs
/// whenever the region is entered, and every early exit inside a region returns 0, so if the packet
/// is too short for the region's longest load the filter's result is 0 whichever load fails first:
/// one check at the region's entry can stand for all of them. A region needs no check at all when
/// every path into it has already proven a length at least as large.
/// </summary>
internal sealed class BpfBoundsPlan
{
    /// <summary>For each instruction: the packet length to prove before it runs (0: none).</summary>
    private readonly ulong[] _checkBefore;

    /// <summary>For each instruction: whether its own packet load needs no further check.</summary>
    private readonly bool[] _covered;

    private BpfBoundsPlan(ulong[] checkBefore, bool[] covered)
    {
        _checkBefore = checkBefore;
        _covered = covered;
    }

    /// <summary>Bytes from offset 0 to prove present before instruction <paramref name="pc"/> (0 for no check).</summary>
    public ulong CheckBefore(int pc) => _checkBefore[pc];

    /// <summary>True when the load at <paramref name="pc"/> is known to be in bounds.</summary>
    public bool IsCovered(int pc) => _covered[pc];

    /// <summary>The number of length checks the plan emits (for tests and diagnostics).</summary>
    public int CheckCount => _checkBefore.Count(c => c != 0);

    public static BpfBoundsPlan Create(ReadOnlySpan<BpfInstruction> program, BpfDialect dialect)
    {
        int n = program.Length;
        var regionStart = FindRegionStarts(program);
        var checkBefore = new ulong[n];
        var covered = new bool[n];
        // The length proven on entry to each instruction over all paths seen so far (forward edges);
        // null until some edge reaches it. Targets of backward jumps (libpcap only) prove nothing.
        var provenIn = new ulong?[n];
        provenIn[0] = 0;
        var backwardTarget = new bool[n];
        for (int pc = 0; pc < n; pc++)
            foreach (int target in Successors(program, pc))
                if (target <= pc) backwardTarget[target] = true;

        ulong proven = 0;
        for (int pc = 0; pc < n; pc++)
        {
            if (regionStart[pc])
            {
                proven = backwardTarget[pc] ? 0 : provenIn[pc] ?? 0;
                ulong need = RegionNeed(program, dialect, pc, regionStart);
                if (need > proven)
                {
                    checkBefore[pc] = need;
                    proven = need;
                }
            }
            ulong end = HoistableEnd(program[pc], dialect);
            covered[pc] = end != 0 && end <= proven;
            foreach (int target in Successors(program, pc))
                if (target > pc) provenIn[target] = provenIn[target] is { } other ? Math.Min(other, proven) : proven;
        }
        return new BpfBoundsPlan(checkBefore, covered);
    }

    /// <summary>The largest end offset over the hoistable loads from <paramref name="start"/> to the region's end.</summary>
    private static ulong RegionNeed(ReadOnlySpan<BpfInstruction> program, BpfDialect dialect, int start, bool[] regionStart)
    {
        ulong need = 0;
        for (int pc = start; pc < program.Length && (pc == start || !regionStart[pc]); pc++)
        {
            need = Math.Max(need, HoistableEnd(program[pc], dialect));
            if (EndsRegion(program[pc])) break;
        }
        return need;
    }

    /// <summary>
    /// For a load from a fixed, non-negative offset (absolute loads and MSH): offset + size, the
    /// packet length it needs; 0 for anything else (indirect, header-relative and ancillary loads
    /// keep their own checks).
    /// </summary>
    public static ulong HoistableEnd(BpfInstruction insn, BpfDialect dialect)
    {
        int size;
        switch (insn.Code)
        {
            case BpfOpcode.LdAbsW: size = 4; break;
            case BpfOpcode.LdAbsH: size = 2; break;
            case BpfOpcode.LdAbsB:
            case BpfOpcode.LdxMsh: size = 1; break;
            default: return 0;
        }
        if (insn.Code != BpfOpcode.LdxMsh && insn.K >= BpfAncillary.Base) return 0;
        if (dialect == BpfDialect.Kernel && (int)insn.K < 0) return 0;
        return insn.K + (ulong)size;
    }

    private static bool[] FindRegionStarts(ReadOnlySpan<BpfInstruction> program)
    {
        var start = new bool[program.Length];
        start[0] = true;
        for (int pc = 0; pc < program.Length; pc++)
        {
            if (EndsRegion(program[pc]) && pc + 1 < program.Length) start[pc + 1] = true;
            if (program[pc].Class == BpfOpcode.ClassJmp)
                foreach (int target in Successors(program, pc))
                    start[target] = true;
        }
        return start;
    }

    private static bool EndsRegion(BpfInstruction insn) =>
        insn.Class is BpfOpcode.ClassJmp or BpfOpcode.ClassRet
        || (insn.Code is BpfOpcode.LdAbsW or BpfOpcode.LdAbsH or BpfOpcode.LdAbsB && insn.K == BpfAncillary.Base + BpfAncillary.Random);

    /// <summary>The instructions control can pass to after <paramref name="pc"/> (inside the program).</summary>
    public static IEnumerable<int> Successors(ReadOnlySpan<BpfInstruction> program, int pc)
    {
        var insn = program[pc];
        int n = program.Length;
        int[] targets = insn.Class switch
        {
            BpfOpcode.ClassRet => [],
            BpfOpcode.ClassJmp when insn.Code == BpfOpcode.Ja => [(int)(pc + 1 + insn.K)],
            BpfOpcode.ClassJmp => [pc + 1 + insn.JumpTrue, pc + 1 + insn.JumpFalse],
            _ => [pc + 1],
        };
        return targets.Where(t => t >= 0 && t < n);
    }
}

namespace Wirecap.Bpf;

/// <summary>
/// The kernel's conversion of a classic program to eBPF (<c>bpf_convert_filter</c>, x86-64 with
/// efficient unaligned access) reduced to what can make an attach fail: every classic jump becomes
/// an eBPF jump whose offset, counted in eBPF instructions, must fit a signed 16-bit field.
/// </summary>
/// <remarks>
/// The expansion sizes come from <c>bpf_convert_filter</c>, <c>convert_bpf_ld_abs</c> and
/// <c>convert_bpf_extensions</c> (Linux 6.18) and predict the observed limit exactly (<c>ja</c> over
/// 2340 × <c>ld [1]</c> attaches, 2341 does not). The kernel emits in passes; in the first one the
/// addresses of instructions not yet reached read as 0, so a forward jump that itself sits beyond
/// eBPF address 32767 also fails — that follows from the source and has not been observed.
/// The separate <c>optmem_max</c> charge (ENOMEM) is not modelled.
/// </remarks>
internal static class BpfKernelConversion
{
    public static BpfValidationException? CheckJumpOffsets(ReadOnlySpan<BpfInstruction> program)
    {
        var start = new int[program.Length + 1];
        for (int i = 0; i < program.Length; i++)
            start[i + 1] = start[i] + ExpandedLength(program[i]);

        for (int i = 0; i < program.Length; i++)
        {
            BpfInstruction insn = program[i];
            if (insn.Code == BpfOpcode.Ja)
            {
                if (!Fits(start, i, i + 1 + (int)insn.K, 0))
                    return Error(i);
            }
            else if (BpfOpcodeTable.IsConditionalJump(insn.Code))
            {
                int first = (insn.Code & BpfOpcode.SrcX) == 0 && (int)insn.K < 0 ? 1 : 0;
                int trueTarget = i + 1 + insn.JumpTrue, falseTarget = i + 1 + insn.JumpFalse;
                if (insn.JumpFalse == 0)
                {
                    if (!Fits(start, i, trueTarget, first))
                        return Error(i);
                }
                else if (insn.JumpTrue == 0 && (insn.Code & 0xf0) != BpfOpcode.OpJset)
                {
                    if (!Fits(start, i, falseTarget, first))
                        return Error(i);
                }
                else if (!Fits(start, i, trueTarget, first) || !Fits(start, i, falseTarget, first + 1))
                {
                    return Error(i);
                }
            }
        }
        return null;
    }

    private static BpfValidationException Error(int index) =>
        new(index, BpfValidationRule.ConvertedJumpTooFar,
            "after the kernel's expansion to eBPF this jump's offset does not fit 16 bits");

    // off = start(target) - start(jump) - 1 - position of the jump inside its expansion; checked with
    // the final addresses and with the first pass's (forward targets still 0).
    private static bool Fits(int[] start, int jump, int target, int position)
    {
        int final = start[target] - start[jump] - 1 - position;
        int firstPass = -start[jump] - 1 - position;
        return final is >= short.MinValue and <= short.MaxValue && firstPass >= short.MinValue;
    }

    /// <summary>eBPF instructions the kernel emits for one classic instruction.</summary>
    public static int ExpandedLength(BpfInstruction insn)
    {
        uint k = insn.K;
        switch (insn.Code)
        {
            case BpfOpcode.RetK:
                return 2;
            case BpfOpcode.LdAbsW or BpfOpcode.LdAbsH or BpfOpcode.LdAbsB:
                if (k >= BpfAncillary.Base)
                    return AncillaryLength((int)(k - BpfAncillary.Base));
                return AbsoluteLoadLength(insn.Code == BpfOpcode.LdAbsB, (int)k);
            case BpfOpcode.LdIndW or BpfOpcode.LdIndH or BpfOpcode.LdIndB:
                return k != 0 ? 9 : 8;
            case BpfOpcode.LdxMsh:
                return 1 + AbsoluteLoadLength(true, (int)k) + 5;
            case BpfOpcode.ClassAlu | BpfOpcode.OpDiv | BpfOpcode.SrcX:
            case BpfOpcode.ClassAlu | BpfOpcode.OpMod | BpfOpcode.SrcX:
                return 5;
            default:
                if (BpfOpcodeTable.IsConditionalJump(insn.Code))
                {
                    int compare = (insn.Code & BpfOpcode.SrcX) == 0 && (int)k < 0 ? 1 : 0;
                    bool single = insn.JumpFalse == 0 || (insn.JumpTrue == 0 && (insn.Code & 0xf0) != BpfOpcode.OpJset);
                    return compare + (single ? 1 : 2);
                }
                return 1;
        }
    }

    private static int AbsoluteLoadLength(bool singleByte, int offset)
    {
        const int helperCall = 8; // argument moves, call, failure check, exit
        if (offset < 0)
            return helperCall;
        int direct = 1 + (offset != 0 ? 1 : 0) + 1 + (offset > short.MaxValue ? 3 : 1) + (singleByte ? 0 : 1) + 1;
        return direct + helperCall;
    }

    private static int AncillaryLength(int n) => n switch
    {
        BpfAncillary.Protocol or BpfAncillary.PacketType or BpfAncillary.VlanTpid => 2,
        BpfAncillary.InterfaceIndex or BpfAncillary.HardwareType => 4,
        BpfAncillary.VlanTagPresent => 3,
        BpfAncillary.PayloadOffset or BpfAncillary.NetlinkAttribute or BpfAncillary.NetlinkAttributeNested
            or BpfAncillary.Cpu or BpfAncillary.Random => 4,
        _ => 1,
    };
}

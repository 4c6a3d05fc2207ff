using Wirecap.Bpf;
using static Wirecap.Bpf.BpfOpcode;

namespace Wirecap.Tests.Bpf.Support;

/// <summary>What kinds of instructions <see cref="RandomBpf.Program"/> may produce.</summary>
public sealed record RandomBpfOptions(BpfDialect Dialect)
{
    /// <summary>Longest program (the last instruction is always a return).</summary>
    public int MaxLength { get; init; } = 40;

    /// <summary>Packet offsets are mostly drawn below this (the packets' sizes).</summary>
    public int MaxOffset { get; init; } = 128;

    /// <summary>Kernel ancillary extensions the program may read (numbers as in <see cref="BpfAncillary"/>).</summary>
    public int[] Ancillary { get; init; } = AllAncillary;

    /// <summary>Kernel: SKF_NET_OFF / SKF_LL_OFF relative loads and other negative offsets.</summary>
    public bool NegativeOffsets { get; init; } = true;

    /// <summary>libpcap: backward <c>ja</c> (which 1.10.3 itself would run without a limit).</summary>
    public bool BackwardJumps { get; init; }

    /// <summary>libpcap: reading scratch slots no store has reached (libpcap 1.10.3 leaves them uninitialised).</summary>
    public bool ReadBeforeWrite { get; init; }

    public static readonly int[] AllAncillary =
    [
        BpfAncillary.Protocol, BpfAncillary.PacketType, BpfAncillary.InterfaceIndex, BpfAncillary.NetlinkAttribute,
        BpfAncillary.NetlinkAttributeNested, BpfAncillary.Mark, BpfAncillary.Queue, BpfAncillary.HardwareType,
        BpfAncillary.ReceiveHash, BpfAncillary.Cpu, BpfAncillary.AluXorX, BpfAncillary.VlanTag,
        BpfAncillary.VlanTagPresent, BpfAncillary.PayloadOffset, BpfAncillary.Random, BpfAncillary.VlanTpid,
    ];
}

/// <summary>
/// Random classic BPF programs that pass the validator of their dialect by construction (forward,
/// in-range jumps; scratch slots read only after a store that every path runs; constant divisors
/// and shifts in range), and mutations of them that mostly do not.
/// </summary>
public static class RandomBpf
{
    private static readonly ushort[] AluOps = [OpAdd, OpSub, OpMul, OpDiv, OpOr, OpAnd, OpLsh, OpRsh, OpMod, OpXor];
    private static readonly ushort[] JumpOps = [OpJeq, OpJgt, OpJge, OpJset];

    public static BpfInstruction[] Program(Random random, RandomBpfOptions options)
    {
        bool kernel = options.Dialect == BpfDialect.Kernel;
        int length = 1 + random.Next(options.MaxLength);
        var program = new BpfInstruction[length];
        // Slots stored before the first jump or return are written on every path.
        var storedOnEveryPath = new List<uint>();
        bool branched = false;
        for (int pc = 0; pc < length - 1; pc++)
        {
            int remaining = length - pc - 1; // instructions after this one
            BpfInstruction insn;
            int roll = random.Next(100);
            if (roll < 18) insn = PacketLoad(random, options);
            else if (roll < 26) insn = ImmediateOrLength(random);
            else if (roll < 46) insn = Alu(random, kernel);
            else if (roll < 50) insn = random.Next(2) == 0 ? BpfInstruction.Statement(Tax) : BpfInstruction.Statement(Txa);
            else if (roll < 58)
            {
                uint slot = (uint)random.Next(16);
                insn = BpfInstruction.Statement(random.Next(2) == 0 ? St : Stx, slot);
                if (!branched) storedOnEveryPath.Add(slot);
            }
            else if (roll < 63)
            {
                bool anySlot = !kernel && options.ReadBeforeWrite;
                if (anySlot || storedOnEveryPath.Count > 0)
                {
                    uint slot = anySlot ? (uint)random.Next(16) : storedOnEveryPath[random.Next(storedOnEveryPath.Count)];
                    insn = BpfInstruction.Statement(random.Next(2) == 0 ? LdMem : LdxMem, slot);
                }
                else insn = ImmediateOrLength(random);
            }
            else if (roll < 90)
            {
                insn = ConditionalJump(random, remaining);
                branched = true;
            }
            else if (roll < 95)
            {
                insn = UnconditionalJump(random, pc, remaining, options);
                branched = true;
            }
            else
            {
                insn = RandomReturn(random);
                branched = true;
            }
            program[pc] = insn;
        }
        program[length - 1] = RandomReturn(random);
        return program;
    }

    /// <summary>A copy of <paramref name="program"/> with one or two random defects (it may still happen to be valid).</summary>
    public static BpfInstruction[] Mutate(Random random, BpfInstruction[] program)
    {
        var copy = (BpfInstruction[])program.Clone();
        int defects = 1 + random.Next(2);
        for (int d = 0; d < defects; d++)
        {
            int pc = random.Next(copy.Length);
            var insn = copy[pc];
            copy[pc] = random.Next(10) switch
            {
                0 => insn with { Code = (ushort)random.Next(0x100) },
                1 => insn with { Code = (ushort)random.Next(0x10000) },
                2 => BpfInstruction.Jump((ushort)(ClassJmp | JumpOps[random.Next(4)]), insn.K, (byte)random.Next(256), (byte)random.Next(256)),
                3 => BpfInstruction.Statement(Ja, random.Next(2) == 0 ? (uint)random.Next(-3, copy.Length + 2) : (uint)random.Next()),
                4 => BpfInstruction.Statement((ushort)(ClassAlu | (random.Next(2) == 0 ? OpDiv : OpMod)), 0),
                5 => BpfInstruction.Statement((ushort)(ClassAlu | (random.Next(2) == 0 ? OpLsh : OpRsh)), (uint)random.Next(30, 70)),
                6 => BpfInstruction.Statement(new[] { LdMem, LdxMem, St, Stx }[random.Next(4)], (uint)random.Next(12, 20)),
                7 => BpfInstruction.Statement(new[] { LdAbsW, LdAbsH, LdAbsB }[random.Next(3)], BpfAncillary.Base + (uint)random.Next(0x50)),
                8 => BpfInstruction.Statement(LdMem, (uint)random.Next(16)),
                _ => insn with { Code = (ushort)(insn.Code ^ (1 << random.Next(8))) },
            };
        }
        if (random.Next(8) == 0 && copy.Length > 1)
            return copy[..^1]; // drops the final return
        return copy;
    }

    private static BpfInstruction PacketLoad(Random random, RandomBpfOptions options)
    {
        bool kernel = options.Dialect == BpfDialect.Kernel;
        ushort size = new[] { SizeW, SizeH, SizeB }[random.Next(3)];
        int roll = random.Next(100);
        if (kernel && roll < 12 && options.Ancillary.Length > 0)
            return BpfInstruction.Statement((ushort)(ClassLd | ModeAbs | size), BpfAncillary.Base + (uint)options.Ancillary[random.Next(options.Ancillary.Length)]);
        if (!kernel && roll < 4)
            return BpfInstruction.Statement(LdAbsB, BpfAncillary.Base + (uint)(random.Next(2) == 0 ? BpfAncillary.VlanTag : BpfAncillary.VlanTagPresent));
        if (roll < 55) return BpfInstruction.Statement((ushort)(ClassLd | ModeAbs | size), Offset(random, options));
        if (roll < 85) return BpfInstruction.Statement((ushort)(ClassLd | ModeInd | size), IndirectOffset(random, options));
        return BpfInstruction.Statement(LdxMsh, Offset(random, options));
    }

    /// <summary>An offset for an absolute load: mostly inside typical packets, sometimes at the edges of the offset space.</summary>
    private static uint Offset(Random random, RandomBpfOptions options)
    {
        bool kernel = options.Dialect == BpfDialect.Kernel;
        int roll = random.Next(100);
        if (roll < 75) return (uint)random.Next(options.MaxOffset + 8);
        if (kernel && options.NegativeOffsets && roll < 88)
            return (uint)((random.Next(2) == 0 ? BpfAncillary.NetOffset : BpfAncillary.LinkLayerOffset) + random.Next(-4, options.MaxOffset));
        if (kernel && options.NegativeOffsets && roll < 91) return (uint)random.Next(int.MinValue, -0x1000);
        if (roll < 95) return (uint)random.Next(0x10000) + (uint)random.Next(3) * 0x7fff_0000u;
        return kernel ? (uint)random.Next() : (uint)random.NextInt64(1L << 32);
    }

    private static uint IndirectOffset(Random random, RandomBpfOptions options) => random.Next(100) switch
    {
        < 70 => (uint)random.Next(options.MaxOffset),
        < 80 => options.Dialect == BpfDialect.Kernel && options.NegativeOffsets
            ? (uint)((random.Next(2) == 0 ? BpfAncillary.NetOffset : BpfAncillary.LinkLayerOffset) + random.Next(-4, 64))
            : (uint)random.Next(0x10000),
        < 90 => (uint)-random.Next(1, 64),
        _ => (uint)random.NextInt64(1L << 32),
    };

    private static BpfInstruction ImmediateOrLength(Random random) => random.Next(6) switch
    {
        0 => BpfInstruction.Statement(LdLen),
        1 => BpfInstruction.Statement(LdxLen),
        2 or 3 => BpfInstruction.Statement(LdImm, Constant(random)),
        _ => BpfInstruction.Statement(LdxImm, Constant(random)),
    };

    /// <summary>Constants that matter: small values, powers of two, the boundaries of 32-bit arithmetic.</summary>
    private static uint Constant(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => uint.MaxValue - (uint)random.Next(4),
        2 => 1u << random.Next(32),
        3 => 0x8000_0000 + (uint)random.Next(-2, 3),
        4 or 5 => (uint)random.Next(160),
        _ => (uint)random.NextInt64(1L << 32),
    };

    private static BpfInstruction Alu(Random random, bool kernel)
    {
        if (random.Next(12) == 0) return BpfInstruction.Statement(ClassAlu | OpNeg);
        ushort op = AluOps[random.Next(AluOps.Length)];
        if (random.Next(2) == 0) return BpfInstruction.Statement((ushort)(ClassAlu | op | SrcX));
        uint k = Constant(random);
        if (op is OpDiv or OpMod && k == 0) k = 1 + (uint)random.Next(16);
        if (op is OpLsh or OpRsh)
            k = kernel || random.Next(4) != 0 ? (uint)random.Next(32) : (uint)random.Next(32, 100);
        return BpfInstruction.Statement((ushort)(ClassAlu | op), k);
    }

    private static BpfInstruction ConditionalJump(Random random, int remaining)
    {
        // Targets must lie inside the program: pc + 1 + offset <= last index.
        int reach = Math.Min(255, remaining - 1);
        ushort op = JumpOps[random.Next(JumpOps.Length)];
        bool fromX = random.Next(3) == 0;
        byte jt = (byte)random.Next(reach + 1), jf = (byte)random.Next(reach + 1);
        uint k = fromX ? 0 : Constant(random);
        return BpfInstruction.Jump((ushort)(ClassJmp | op | (fromX ? SrcX : SrcK)), k, jt, jf);
    }

    private static BpfInstruction UnconditionalJump(Random random, int pc, int remaining, RandomBpfOptions options)
    {
        if (options.Dialect == BpfDialect.Libpcap && options.BackwardJumps && pc > 0 && random.Next(3) == 0)
            return BpfInstruction.Statement(Ja, (uint)-random.Next(2, pc + 2)); // lands on 0..pc-1
        return BpfInstruction.Statement(Ja, (uint)random.Next(remaining));
    }

    private static BpfInstruction RandomReturn(Random random) => random.Next(4) switch
    {
        0 => BpfInstruction.Statement(RetAcc),
        1 => BpfInstruction.Statement(RetK, 0),
        2 => BpfInstruction.Statement(RetK, uint.MaxValue),
        _ => BpfInstruction.Statement(RetK, (uint)random.Next(1, 200)),
    };
}

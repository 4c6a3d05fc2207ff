using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    /// <summary>Statements leaving the <paramref name="size"/>-byte value at base + offset in A.</summary>
    private static BpfInstruction[] LoadAt(Offset @base, int offset, int size) => @base.IsVariable
        ? [Instructions.LoadXMemory(@base.Register!.Value), Instructions.LoadIndexed(size, @base.Constant + offset)]
        : [Instructions.LoadAbsolute(size, @base.Constant + offset)];

    /// <summary><c>(field &amp; mask) jump value</c> for a field at base + offset.</summary>
    private static Condition Compare(Offset @base, int offset, int size, uint value, uint mask = uint.MaxValue, ushort jump = Instructions.Jeq)
    {
        var statements = LoadAt(@base, offset, size).ToList();
        if (mask != uint.MaxValue)
            statements.Add(Instructions.Alu(BpfOpcode.OpAnd, mask));
        return Condition.Test(statements, jump, value);
    }

    private Condition CompareNetwork(int offset, int size, uint value, uint mask = uint.MaxValue, ushort jump = Instructions.Jeq) =>
        Compare(_layout.NetworkBase, offset, size, value, mask, jump);

    /// <summary>
    /// Statements that leave in X the variable part of the IPv4 transport-header offset; the
    /// returned constant is added to every load relative to it.
    /// </summary>
    private (BpfInstruction[] Statements, int Constant) Ipv4TransportBase()
    {
        var nl = _layout.NetworkBase;
        if (!nl.IsVariable)
            return ([Instructions.LoadXHeaderLength(nl.Constant)], nl.Constant);
        return ([
            Instructions.LoadXMemory(nl.Register!.Value),
            Instructions.LoadIndexed(1, nl.Constant),
            Instructions.Alu(BpfOpcode.OpAnd, 0xf),
            Instructions.Alu(BpfOpcode.OpLsh, 2),
            Instructions.AluX(BpfOpcode.OpAdd),
            Instructions.Tax(),
        ], nl.Constant);
    }

    private BpfInstruction[] LoadIpv4Transport(int offset, int size)
    {
        var (statements, constant) = Ipv4TransportBase();
        return [.. statements, Instructions.LoadIndexed(size, constant + offset)];
    }

    private BpfInstruction[] LoadIpv6Transport(int offset, int size) => LoadAt(_layout.NetworkBase, 40 + offset, size);

    /// <summary>IPv4 and not a fragment other than the first: the transport header is present.</summary>
    private Condition Ipv4NotLaterFragment() => Condition.Not(CompareNetwork(6, 2, 0x1fff, jump: Instructions.Jset));
}

using Wirecap.Bpf;
using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// An arithmetic value: after <see cref="Statements"/> run, A holds it, provided
    /// <see cref="Guard"/> (the protocol checks its packet loads need) holds.
    /// </summary>
    private sealed record Value(BpfInstruction[] Statements, Condition Guard, uint? Constant = null)
    {
        public static Value Of(uint constant) => new([Instructions.LoadImmediate(constant)], Condition.True, constant);
    }

    private Condition Relation(RelationNode node)
    {
        // The right side is evaluated into scratch memory first, so generate it first.
        var right = Evaluate(node.Right);
        var slot = AllocateScratch(node.Position);
        var left = Evaluate(node.Left);
        _nextScratch--;
        if (left.Constant is { } a && right.Constant is { } b)
        {
            var holds = node.Operator switch
            {
                RelationOperator.Greater => a > b,
                RelationOperator.GreaterEqual => a >= b,
                RelationOperator.Equal => a == b,
                RelationOperator.LessEqual => a <= b,
                RelationOperator.Less => a < b,
                _ => a != b,
            };
            return holds ? Condition.True : Condition.False;
        }
        var (jumpK, negate) = node.Operator switch
        {
            RelationOperator.Greater => (Instructions.Jgt, false),
            RelationOperator.GreaterEqual => (Instructions.Jge, false),
            RelationOperator.Equal => (Instructions.Jeq, false),
            RelationOperator.LessEqual => (Instructions.Jgt, true),
            RelationOperator.Less => (Instructions.Jge, true),
            _ => (Instructions.Jeq, true),
        };
        Condition test;
        if (right.Constant is { } k)
        {
            test = Condition.Test(left.Statements, jumpK, k);
        }
        else
        {
            test = Condition.Test([.. right.Statements, Instructions.Store(slot), .. left.Statements, Instructions.LoadXMemory(slot)],
                (ushort)(jumpK | BpfOpcode.SrcX), 0);
        }
        if (negate)
            test = Condition.Not(test);
        return Condition.And(Condition.And(left.Guard, right.Guard), test);
    }

    private Value Evaluate(ArithmeticNode node)
    {
        switch (node)
        {
            case ConstantArithmetic c:
                return Value.Of(c.Value);
            case LengthArithmetic:
                return new Value([Instructions.LoadLength()], Condition.True);
            case NegateArithmetic n:
            {
                var operand = Evaluate(n.Operand);
                return operand.Constant is { } v
                    ? Value.Of(unchecked(0u - v))
                    : operand with { Statements = [.. operand.Statements, Instructions.Negate()] };
            }
            case BinaryArithmetic b:
                return Binary(b);
            case LoadArithmetic load:
                return Load(load);
            default:
                throw new InvalidOperationException("unknown arithmetic node");
        }
    }

    private Value Binary(BinaryArithmetic node)
    {
        var right = Evaluate(node.Right);
        var slot = AllocateScratch(node.Position);
        var left = Evaluate(node.Left);
        _nextScratch--;
        var operation = node.Operator switch
        {
            ArithmeticOperator.Add => BpfOpcode.OpAdd,
            ArithmeticOperator.Subtract => BpfOpcode.OpSub,
            ArithmeticOperator.Multiply => BpfOpcode.OpMul,
            ArithmeticOperator.Divide => BpfOpcode.OpDiv,
            ArithmeticOperator.Modulo => BpfOpcode.OpMod,
            ArithmeticOperator.And => BpfOpcode.OpAnd,
            ArithmeticOperator.Or => BpfOpcode.OpOr,
            ArithmeticOperator.Xor => BpfOpcode.OpXor,
            ArithmeticOperator.ShiftLeft => BpfOpcode.OpLsh,
            _ => BpfOpcode.OpRsh,
        };
        if (right.Constant == 0 && operation == BpfOpcode.OpDiv)
            throw new FilterException("division by zero", node.Position);
        if (right.Constant == 0 && operation == BpfOpcode.OpMod)
            throw new FilterException("modulus by zero", node.Position);
        var guard = Condition.And(left.Guard, right.Guard);
        if (left.Constant is { } a && right.Constant is { } b)
            return Value.Of(Fold(operation, a, b));
        if (right.Constant is { } k)
            return new Value([.. left.Statements, Instructions.Alu(operation, k)], guard);
        return new Value([.. right.Statements, Instructions.Store(slot), .. left.Statements, Instructions.LoadXMemory(slot), Instructions.AluX(operation)], guard);
    }

    private static uint Fold(ushort operation, uint a, uint b) => operation switch
    {
        BpfOpcode.OpAdd => unchecked(a + b),
        BpfOpcode.OpSub => unchecked(a - b),
        BpfOpcode.OpMul => unchecked(a * b),
        BpfOpcode.OpDiv => a / b,
        BpfOpcode.OpMod => a % b,
        BpfOpcode.OpAnd => a & b,
        BpfOpcode.OpOr => a | b,
        BpfOpcode.OpXor => a ^ b,
        BpfOpcode.OpLsh => b >= 32 ? 0 : a << (int)b,
        _ => b >= 32 ? 0 : a >> (int)b,
    };

    /// <summary><c>proto[index:size]</c>: a load relative to that protocol's header.</summary>
    private Value Load(LoadArithmetic node)
    {
        if (node.Size is not (1 or 2 or 4))
            throw new FilterException("data size must be 1, 2, or 4", node.Position);
        var size = (int)node.Size;
        var index = Evaluate(node.Index);
        var protocol = node.Protocol;
        switch (protocol)
        {
            case Keyword.Link:
                return Indexed(_layout.LinkHeader, index, size, Condition.True);
            case Keyword.Ip or Keyword.Arp or Keyword.Rarp or Keyword.Atalk or Keyword.Decnet or Keyword.Sca
                or Keyword.Lat or Keyword.MopDl or Keyword.MopRc or Keyword.Ip6:
                return Indexed(_layout.NetworkBase, index, size, ProtocolAbbreviation(protocol, node.Position));
            case Keyword.Tcp or Keyword.Udp or Keyword.Icmp or Keyword.Igmp or Keyword.Igrp or Keyword.Pim
                or Keyword.Vrrp or Keyword.Carp or Keyword.Sctp:
            {
                var guard = Condition.All(IpProtocol(TransportNumber(protocol)), Ipv4NotLaterFragment());
                return TransportIndexed(index, size, guard);
            }
            case Keyword.Icmp6:
                // Unlike the icmp6 primitive, the index form does not look past a fragment header.
                return Indexed(_layout.NetworkBase.Plus(40), index, size, Condition.And(LinkTypeIs(EtherTypes.IPv6), CompareNetwork(6, 1, 58)));
            case Keyword.Radio:
                throw new FilterException("'radio' not supported on " + DltName, node.Position);
            default:
                throw new FilterException($"'{KeywordTable.Spell(protocol)}' does not support the index operation", node.Position);
        }
    }

    private static uint TransportNumber(Keyword protocol) => protocol switch
    {
        Keyword.Tcp => Tcp,
        Keyword.Udp => Udp,
        Keyword.Icmp => 1,
        Keyword.Igmp => 2,
        Keyword.Igrp => 9,
        Keyword.Pim => 103,
        Keyword.Sctp => Sctp,
        _ => 112,
    };

    private Value Indexed(Offset @base, Value index, int size, Condition guard)
    {
        guard = Condition.And(guard, index.Guard);
        if (index.Constant is { } k)
            return new Value(LoadAt(@base, (int)k, size), guard);
        if (!@base.IsVariable)
            return new Value([.. index.Statements, Instructions.Tax(), Instructions.LoadIndexed(size, @base.Constant)], guard);
        return new Value([.. index.Statements, Instructions.LoadXMemory(@base.Register!.Value), Instructions.AluX(BpfOpcode.OpAdd), Instructions.Tax(),
            Instructions.LoadIndexed(size, @base.Constant)], guard);
    }

    private Value TransportIndexed(Value index, int size, Condition guard)
    {
        guard = Condition.And(guard, index.Guard);
        var (xStatements, constant) = Ipv4TransportBase();
        if (index.Constant is { } k)
            return new Value([.. xStatements, Instructions.LoadIndexed(size, constant + (int)k)], guard);
        var slot = AllocateScratch(-1);
        _nextScratch--;
        return new Value([.. index.Statements, Instructions.Store(slot), .. xStatements, Instructions.LoadMemory(slot), Instructions.AluX(BpfOpcode.OpAdd),
            Instructions.Tax(), Instructions.LoadIndexed(size, constant)], guard);
    }
}

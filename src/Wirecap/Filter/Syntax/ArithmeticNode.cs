namespace Wirecap.Filter.Syntax;

/// <summary>An arithmetic expression over packet bytes, lengths and constants.</summary>
internal abstract record ArithmeticNode(int Position);

internal sealed record ConstantArithmetic(uint Value, int At) : ArithmeticNode(At);

/// <summary><c>proto[index : size]</c>.</summary>
internal sealed record LoadArithmetic(Keyword Protocol, ArithmeticNode Index, uint Size, int At) : ArithmeticNode(At);

/// <summary><c>len</c>: the packet's wire length.</summary>
internal sealed record LengthArithmetic(int At) : ArithmeticNode(At);

internal enum ArithmeticOperator { Add, Subtract, Multiply, Divide, Modulo, And, Or, Xor, ShiftLeft, ShiftRight }

internal sealed record BinaryArithmetic(ArithmeticOperator Operator, ArithmeticNode Left, ArithmeticNode Right) : ArithmeticNode(Left.Position);

internal sealed record NegateArithmetic(ArithmeticNode Operand, int At) : ArithmeticNode(At);

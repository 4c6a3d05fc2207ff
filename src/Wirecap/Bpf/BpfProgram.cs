namespace Wirecap.Bpf;

/// <summary>
/// An immutable classic BPF program that passed <see cref="BpfValidator"/> for its
/// <see cref="Dialect"/>, ready for <see cref="BpfInterpreter"/> or to be attached to a socket.
/// </summary>
public sealed class BpfProgram
{
    private readonly BpfInstruction[] _instructions;

    private BpfProgram(BpfInstruction[] instructions, BpfDialect dialect)
    {
        _instructions = instructions;
        Dialect = dialect;
        Decoded = BpfDecoder.Decode(instructions);
    }

    /// <summary>Validates <paramref name="instructions"/> for <paramref name="dialect"/> and copies them into a program.</summary>
    /// <exception cref="BpfValidationException">The program breaks a rule of the dialect's checker.</exception>
    public static BpfProgram Create(ReadOnlySpan<BpfInstruction> instructions, BpfDialect dialect = BpfDialect.Kernel)
    {
        BpfValidator.Validate(instructions, dialect);
        return new BpfProgram(instructions.ToArray(), dialect);
    }

    /// <summary>The one-instruction program <c>ret #snapLength</c>: accept every packet, keeping at most <paramref name="snapLength"/> bytes.</summary>
    public static BpfProgram Accept(uint snapLength = uint.MaxValue, BpfDialect dialect = BpfDialect.Kernel) =>
        Create([BpfInstruction.Statement(BpfOpcode.RetK, snapLength)], dialect);

    /// <summary>The instructions.</summary>
    public ReadOnlySpan<BpfInstruction> Instructions => _instructions;

    /// <summary>The instructions as memory (for storing or handing to asynchronous code).</summary>
    public ReadOnlyMemory<BpfInstruction> InstructionMemory => _instructions;

    /// <summary>The dialect the program was validated for; the interpreter runs it with that dialect's semantics.</summary>
    public BpfDialect Dialect { get; }

    /// <summary>The instructions in the interpreter's form, decoded once.</summary>
    internal BpfDecodedInstruction[] Decoded { get; }

    /// <summary>Number of instructions.</summary>
    public int Length => _instructions.Length;
}

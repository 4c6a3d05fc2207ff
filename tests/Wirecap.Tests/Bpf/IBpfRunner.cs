using System.Buffers;
using Wirecap.Bpf;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// A way of running a validated program (the interpreter, the IL compiler, ...), so the same
/// vectors and properties can be checked against every engine.
/// </summary>
public interface IBpfRunner
{
    string Name { get; }

    uint Run(BpfProgram program, ReadOnlySpan<byte> packet, in BpfContext context);

    uint Run(BpfProgram program, in ReadOnlySequence<byte> packet, in BpfContext context);
}

public sealed class InterpreterRunner : IBpfRunner
{
    public string Name => "interpreter";

    public uint Run(BpfProgram program, ReadOnlySpan<byte> packet, in BpfContext context) =>
        BpfInterpreter.Run(program, packet, context);

    public uint Run(BpfProgram program, in ReadOnlySequence<byte> packet, in BpfContext context) =>
        BpfInterpreter.Run(program, packet, context);
}

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Wirecap.Bpf.Compilation;

namespace Wirecap.Bpf;

/// <summary>
/// A classic BPF program ready to run on packets: compiled to IL when the runtime allows it (see
/// <see cref="BpfFilterOptions.Compile"/>), interpreted otherwise. Both give the same result for
/// every packet; running allocates nothing. Thread-safe: one filter may run on many threads.
/// </summary>
internal sealed class BpfFilter
{
    private readonly BpfCompiledFilter? _compiled;

    private BpfFilter(BpfProgram program, BpfCompiledFilter? compiled)
    {
        Program = program;
        _compiled = compiled;
    }

    /// <summary>Prepares <paramref name="program"/> to run, compiling it unless <paramref name="options"/> say otherwise.</summary>
    public static BpfFilter Create(BpfProgram program, BpfFilterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        options ??= new BpfFilterOptions();
        // Generated code that would itself be interpreted (IsDynamicCodeCompiled false) is no faster than the interpreter.
        bool dynamicCode = options.DynamicCodeSupported ?? (RuntimeFeature.IsDynamicCodeSupported && RuntimeFeature.IsDynamicCodeCompiled);
        return new BpfFilter(program, options.Compile && dynamicCode ? CompileIfSupported(program) : null);
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only called when dynamic code is supported.")]
    private static BpfCompiledFilter? CompileIfSupported(BpfProgram program) =>
        RuntimeFeature.IsDynamicCodeSupported ? BpfCompiler.Compile(program) : null;

    /// <summary>The program this filter runs.</summary>
    public BpfProgram Program { get; }

    /// <summary>True when the program runs as compiled IL, false when it is interpreted.</summary>
    public bool IsCompiled => _compiled is not null;

    /// <summary>
    /// Runs the filter over a packet: the result is 0 to drop it, otherwise the number of bytes to
    /// keep (the caller truncates to it). <paramref name="context"/> supplies the wire length, header
    /// offsets and the metadata for ancillary loads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BpfContext.DataOffset"/> lies outside the buffer.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Run(ReadOnlySpan<byte> packet, in BpfContext context) =>
        _compiled is { } compiled ? compiled(packet, context) : BpfInterpreter.Run(Program, packet, context);

    /// <summary>Runs the filter over a packet with default metadata (headers at offset 0, wire length = buffer length).</summary>
    public uint Run(ReadOnlySpan<byte> packet) => Run(packet, BpfContext.None);

    /// <summary>
    /// Runs the filter over a packet held in several segments, without copying it. A single-segment
    /// packet takes the compiled path; a multi-segment one is interpreted (the compiled code reads
    /// one contiguous span), with the same result.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BpfContext.DataOffset"/> lies outside the buffer.</exception>
    public uint Run(in ReadOnlySequence<byte> packet, in BpfContext context) =>
        packet.IsSingleSegment ? Run(packet.FirstSpan, context) : BpfInterpreter.Run(Program, packet, context);
}

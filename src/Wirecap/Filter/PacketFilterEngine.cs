namespace Wirecap.Filter;

/// <summary>How a <see cref="PacketFilter"/> runs its program.</summary>
public enum PacketFilterEngine
{
    /// <summary>The classic BPF interpreter: where the runtime cannot generate code (NativeAOT), or when asked for.</summary>
    Interpreter,

    /// <summary>The program compiled to IL, and by the JIT to machine code.</summary>
    Compiled,
}

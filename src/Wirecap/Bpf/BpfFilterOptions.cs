namespace Wirecap.Bpf;

/// <summary>How a filter prepares its program to run (<c>PacketFilterOptions.Engine</c>).</summary>
public sealed class BpfFilterOptions
{
    /// <summary>
    /// Compile the program to IL (a <see cref="System.Reflection.Emit.DynamicMethod"/>) for speed
    /// (default true). Where the runtime cannot generate code (NativeAOT) the filter uses the
    /// interpreter instead, and likewise where generated code would itself be interpreted;
    /// <c>PacketFilter.Engine</c> tells which one runs.
    /// </summary>
    public bool Compile { get; init; } = true;

    /// <summary>
    /// Test hook: when false, behave as if the runtime could not generate code (as under NativeAOT),
    /// so the interpreter fallback can be exercised anywhere. Null means ask the runtime.
    /// </summary>
    internal bool? DynamicCodeSupported { get; init; }
}

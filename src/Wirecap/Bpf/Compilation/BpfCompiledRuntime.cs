using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wirecap.Bpf.Compilation;

/// <summary>
/// The compiled filter's signature: the buffer (headroom included, see <see cref="BpfContext"/>)
/// and the packet's metadata; returns the filter's result (0 = drop).
/// </summary>
internal delegate uint BpfCompiledFilter(ReadOnlySpan<byte> buffer, in BpfContext context);

/// <summary>
/// Small pieces of managed code the generated IL calls, and the reflection handles to them. The
/// fast path (start of data, length) is inlined into the filter; everything that needs the
/// interpreter's packet view is behind out-of-line calls, so the common case never builds one.
/// </summary>
internal static class BpfCompiledRuntime
{
    /// <summary>A reference to the filter's offset 0 and the bytes from there to the end of the buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte DataStart(ReadOnlySpan<byte> buffer, int dataOffset, out int dataLength)
    {
        if ((uint)dataOffset > (uint)buffer.Length)
            RejectDataOffset(buffer, dataOffset);
        dataLength = buffer.Length - dataOffset;
        return ref Unsafe.Add(ref MemoryMarshal.GetReference(buffer), dataOffset);
    }

    /// <summary>Throws exactly what the interpreter throws for this offset (the packet view's own check).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RejectDataOffset(ReadOnlySpan<byte> buffer, int dataOffset) => _ = new BpfPacketView(buffer, dataOffset);

    /// <summary><c>ld len</c>: the wire length, or the bytes from offset 0 when the caller left it 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint WireLength(in BpfContext context, int dataLength) =>
        context.WireLength != 0 ? context.WireLength : (uint)dataLength;

    /// <summary>Kernel load that is not a plain in-bounds read: header-relative, or past the end (fails).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryLoadKernel(ReadOnlySpan<byte> buffer, in BpfContext context, int offset, int size, out uint value) =>
        BpfRuntime.TryLoadKernel(new BpfPacketView(buffer, context.DataOffset), context, offset, size, out value);

    /// <summary>The ancillary loads that need the packet or have effects (netlink searches, payload offset, CPU, random).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static uint KernelAncillary(uint k, ReadOnlySpan<byte> buffer, in BpfContext context, uint a, uint x) =>
        BpfRuntime.KernelAncillary(k, new BpfPacketView(buffer, context.DataOffset), context, a, x);

    private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
    private const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    public static readonly MethodInfo DataStartMethod = typeof(BpfCompiledRuntime).GetMethod(nameof(DataStart), Static)!;
    public static readonly MethodInfo WireLengthMethod = typeof(BpfCompiledRuntime).GetMethod(nameof(WireLength), Static)!;
    public static readonly MethodInfo TryLoadKernelMethod = typeof(BpfCompiledRuntime).GetMethod(nameof(TryLoadKernel), Static)!;
    public static readonly MethodInfo KernelAncillaryMethod = typeof(BpfCompiledRuntime).GetMethod(nameof(KernelAncillary), Static)!;
    public static readonly MethodInfo TryLibpcapVlanAncillaryMethod = typeof(BpfRuntime).GetMethod(nameof(BpfRuntime.TryLibpcapVlanAncillary), Static)!;

    public static readonly MethodInfo ReadUInt32Method = typeof(BpfBytes).GetMethod(nameof(BpfBytes.ReadUInt32), Static)!;
    public static readonly MethodInfo ReadUInt16Method = typeof(BpfBytes).GetMethod(nameof(BpfBytes.ReadUInt16), Static)!;

    public static MethodInfo ContextGetter(string property) => Getter(typeof(BpfContext), property);

    private static MethodInfo Getter(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties)] Type type,
        string property) =>
        type.GetProperty(property, Instance)?.GetMethod
        ?? throw new MissingMemberException(type.Name, property);
}

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Capture.Bpf.Compilation;

/// <summary>
/// The compiled filter's signature: the buffer (headroom included, see <see cref="BpfContext"/>)
/// and the packet's metadata; returns the filter's result (0 = drop).
/// </summary>
internal delegate uint BpfCompiledFilter(ReadOnlySpan<byte> buffer, in BpfContext context);

/// <summary>Small pieces of managed code the generated IL calls, and the reflection handles to them.</summary>
internal static class BpfCompiledRuntime
{
    /// <summary>A reference to the filter's offset 0 inside the buffer (the view has checked it lies within).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte DataStart(ReadOnlySpan<byte> buffer, int dataOffset) =>
        ref Unsafe.Add(ref MemoryMarshal.GetReference(buffer), dataOffset);

    /// <summary><c>ld len</c>: the wire length, or the bytes from offset 0 when the caller left it 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint WireLength(in BpfContext context, int dataLength) =>
        context.WireLength != 0 ? context.WireLength : (uint)dataLength;

    private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
    private const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    public static readonly MethodInfo DataStartMethod = typeof(BpfCompiledRuntime).GetMethod(nameof(DataStart), Static)!;
    public static readonly MethodInfo WireLengthMethod = typeof(BpfCompiledRuntime).GetMethod(nameof(WireLength), Static)!;

    public static readonly ConstructorInfo PacketViewConstructor =
        typeof(BpfPacketView).GetConstructor(Instance, [typeof(ReadOnlySpan<byte>), typeof(int)])!;
    public static readonly MethodInfo DataLengthGetter = Getter(typeof(BpfPacketView), nameof(BpfPacketView.DataLength));

    public static readonly MethodInfo TryLoadKernelMethod = typeof(BpfRuntime).GetMethod(nameof(BpfRuntime.TryLoadKernel), Static)!;
    public static readonly MethodInfo TryLoadLibpcapMethod = typeof(BpfRuntime).GetMethod(nameof(BpfRuntime.TryLoadLibpcap), Static)!;
    public static readonly MethodInfo TryLibpcapVlanAncillaryMethod = typeof(BpfRuntime).GetMethod(nameof(BpfRuntime.TryLibpcapVlanAncillary), Static)!;
    public static readonly MethodInfo KernelAncillaryMethod = typeof(BpfRuntime).GetMethod(nameof(BpfRuntime.KernelAncillary), Static)!;

    public static readonly MethodInfo ReadUInt32Method = typeof(BpfBytes).GetMethod(nameof(BpfBytes.ReadUInt32), Static)!;
    public static readonly MethodInfo ReadUInt16Method = typeof(BpfBytes).GetMethod(nameof(BpfBytes.ReadUInt16), Static)!;

    public static MethodInfo ContextGetter(string property) => Getter(typeof(BpfContext), property);

    private static MethodInfo Getter(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties)] Type type,
        string property) =>
        type.GetProperty(property, Instance)?.GetMethod
        ?? throw new MissingMemberException(type.Name, property);
}

using System.Buffers;
using System.Runtime.CompilerServices;
using Wirecap.Bpf;

namespace Wirecap.Filter;

/// <summary>
/// The one filter every path runs: a pcap-filter expression or a classic BPF program, for packets of one link
/// type, run the way a socket filter runs on them. The metadata the program may read besides the bytes (wire
/// length, where the network header starts, the protocol, and for cooked headers the packet type, interface and
/// hardware type) comes from the packet's link-layer header, or from the kernel's report of a live frame when the
/// caller has one (<see cref="LinuxPacketMetadata"/>). The program runs as IL where the runtime compiles dynamic
/// code and in the interpreter where it cannot (NativeAOT); <see cref="Engine"/> says which. Running allocates
/// nothing; one filter may run on many threads at once.
/// </summary>
public sealed class PacketFilter
{
    private readonly BpfFilter _filter;

    private PacketFilter(BpfProgram program, LinkType linkType, string? expression, BpfFilterOptions? engine)
    {
        _filter = BpfFilter.Create(program, engine);
        LinkType = linkType;
        Expression = expression;
    }

    /// <summary>Compiles <paramref name="expression"/> (pcap-filter syntax) for packets of <paramref name="linkType"/>.</summary>
    /// <exception cref="FilterException">The expression does not parse, or does not apply to the link type.</exception>
    public static PacketFilter Create(string expression, LinkType linkType, PacketFilterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        options ??= PacketFilterOptions.Default;
        return new PacketFilter(FilterCompiler.Compile(expression, linkType, options.Compiler), linkType, expression, options.Engine);
    }

    /// <summary>Runs <paramref name="program"/> on packets of <paramref name="linkType"/> (<see cref="PacketFilterOptions.Compiler"/> is not used).</summary>
    public static PacketFilter Create(BpfProgram program, LinkType linkType, PacketFilterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new PacketFilter(program, linkType, null, (options ?? PacketFilterOptions.Default).Engine);
    }

    /// <summary>The link type of the packets this filter reads.</summary>
    public LinkType LinkType { get; }

    /// <summary>The expression the program was compiled from, or null when the filter was made from a program.</summary>
    public string? Expression { get; }

    /// <summary>The program that runs.</summary>
    public BpfProgram Program => _filter.Program;

    /// <summary>Whether the program runs as compiled IL or in the interpreter.</summary>
    public PacketFilterEngine Engine => _filter.IsCompiled ? PacketFilterEngine.Compiled : PacketFilterEngine.Interpreter;

    /// <summary>
    /// Runs the filter on a packet of <see cref="LinkType"/>: 0 to drop it, otherwise the number of bytes a socket
    /// filter would keep. <paramref name="originalLength"/> is its length on the wire (what <c>len</c> reads; at
    /// least the captured length).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Run(ReadOnlySpan<byte> packet, int originalLength = 0) =>
        LinkType == LinkType.Ethernet
            ? _filter.Run(packet, LinkLayerContext.Ethernet(packet, (uint)Math.Max(originalLength, packet.Length)))
            : RunOtherLinkType(packet, originalLength);

    // The other link types' contexts, apart so that they do not enlarge (and zero) the inlined frame of every packet.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint RunOtherLinkType(ReadOnlySpan<byte> packet, int originalLength) =>
        _filter.Run(packet, LinkLayerContext.From(LinkType, packet, originalLength));

    /// <summary>Runs the filter on a live frame of <see cref="LinkType"/>, whose kernel metadata is <paramref name="metadata"/>.</summary>
    public uint Run(ReadOnlySpan<byte> packet, int originalLength, in LinuxPacketMetadata metadata)
    {
        var context = LinkLayerContext.From(LinkType, packet, originalLength, metadata);
        return _filter.Run(packet, context);
    }

    /// <summary>Runs the filter on a packet held in several segments, without copying it (the interpreter reads them in place).</summary>
    public uint Run(in ReadOnlySequence<byte> packet, int originalLength = 0)
    {
        var context = packet.FirstSpan.Length >= LinkLayerContext.HeaderBytes || packet.IsSingleSegment
            ? LinkLayerContext.From(LinkType, packet.FirstSpan, originalLength, (int)Math.Min(packet.Length, int.MaxValue))
            : FromCopiedHeader(packet, originalLength);
        return _filter.Run(packet, context);
    }

    /// <summary>True when the filter keeps the packet (<see cref="Run(ReadOnlySpan{byte}, int)"/> is not 0).</summary>
    public bool Matches(ReadOnlySpan<byte> packet, int originalLength = 0) => Run(packet, originalLength) != 0;

    private BpfContext FromCopiedHeader(in ReadOnlySequence<byte> packet, int originalLength)
    {
        Span<byte> header = stackalloc byte[LinkLayerContext.HeaderBytes];
        int length = (int)Math.Min(packet.Length, header.Length);
        packet.Slice(0, length).CopyTo(header);
        return LinkLayerContext.From(LinkType, header[..length], originalLength, (int)Math.Min(packet.Length, int.MaxValue));
    }
}

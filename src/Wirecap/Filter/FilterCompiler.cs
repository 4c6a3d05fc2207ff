using System.Net.Sockets;
using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;
using Wirecap.Filter.Optimization;
using Wirecap.Filter.Syntax;

namespace Wirecap.Filter;

/// <summary>
/// Compiles pcap-filter expressions (the language of tcpdump and libpcap) to classic BPF, with
/// libpcap's meaning, for Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback link types.
/// </summary>
public static class FilterCompiler
{
    /// <summary>Compiles <paramref name="expression"/> to a validated program for data-link type <paramref name="dlt"/>.</summary>
    /// <param name="expression">The filter, for example <c>tcp port 80 and not net 10/8</c>; empty matches everything.</param>
    /// <param name="dlt">libpcap DLT number (1 Ethernet, 113 Linux SLL, 276 SLL2, 12 or 101 raw IP, 0 NULL, 108 LOOP, 228 IPv4, 229 IPv6).</param>
    /// <param name="options">Snap length, netmask, optimizer switch, name resolver and dialect; defaults when null.</param>
    /// <returns>The program, validated for <see cref="FilterOptions.Dialect"/>.</returns>
    /// <exception cref="FilterSyntaxException">The expression is malformed.</exception>
    /// <exception cref="FilterException">The expression cannot be compiled for this link type, names an unknown host, or matches no packet.</exception>
    /// <exception cref="BpfValidationException">The program is not valid in the requested dialect (for example <c>protochain</c>'s loop in the kernel dialect).</exception>
    public static BpfProgram Compile(string expression, int dlt, FilterOptions? options = null) =>
        BpfProgram.Create(CompileInstructions(expression, dlt, options), (options ?? new FilterOptions()).Dialect);

    /// <summary>Compiles <paramref name="expression"/> to a validated program for <paramref name="linkType"/>.</summary>
    /// <param name="expression">The filter; empty matches everything.</param>
    /// <param name="linkType">The capture's link type (LINKTYPE_* value).</param>
    /// <param name="options">Snap length, netmask, optimizer switch, name resolver and dialect; defaults when null.</param>
    /// <returns>The program, validated for <see cref="FilterOptions.Dialect"/>.</returns>
    /// <exception cref="FilterSyntaxException">The expression is malformed.</exception>
    /// <exception cref="FilterException">The expression cannot be compiled for this link type, names an unknown host, or matches no packet.</exception>
    /// <exception cref="BpfValidationException">The program is not valid in the requested dialect.</exception>
    public static BpfProgram Compile(string expression, LinkType linkType, FilterOptions? options = null) =>
        Compile(expression, LinkTypes.ToDlt(linkType), options);

    /// <summary>Compiles <paramref name="expression"/> for packets of data-link type <paramref name="dlt"/>.</summary>
    /// <param name="expression">The filter, for example <c>tcp port 80 and not net 10/8</c>; empty matches everything.</param>
    /// <param name="dlt">libpcap DLT number (1 Ethernet, 113 Linux SLL, 276 SLL2, 12 or 101 raw IP, 0 NULL, 108 LOOP, 228 IPv4, 229 IPv6).</param>
    /// <param name="options">Snap length, netmask, optimizer switch and name resolver; defaults when null.</param>
    /// <returns>The program's instructions.</returns>
    /// <exception cref="FilterSyntaxException">The expression is malformed.</exception>
    /// <exception cref="FilterException">The expression cannot be compiled for this link type, names an unknown host, or matches no packet.</exception>
    public static BpfInstruction[] CompileInstructions(string expression, int dlt, FilterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        options ??= new FilterOptions();
        var tree = Parser.Parse(expression);
        var generator = new CodeGenerator(dlt, NetmaskValue(options), options.Resolver ?? SystemNameResolver.Instance);
        var condition = generator.Generate(tree);
        var entry = Lowering.Lower(condition, options.Snaplen);
        if (options.Optimize && !generator.DisableOptimizer)
        {
            entry = BlockOptimizer.Optimize(entry);
            if (entry.End == BlockEnd.Return && entry.K == 0)
                throw new FilterException("expression rejects all packets");
        }
        return Emitter.Emit(entry);
    }

    /// <summary>Compiles <paramref name="expression"/> for packets of <paramref name="linkType"/>.</summary>
    /// <param name="expression">The filter; empty matches everything.</param>
    /// <param name="linkType">The capture's link type (LINKTYPE_* value).</param>
    /// <param name="options">Snap length, netmask, optimizer switch and name resolver; defaults when null.</param>
    /// <returns>The program's instructions.</returns>
    /// <exception cref="FilterSyntaxException">The expression is malformed.</exception>
    /// <exception cref="FilterException">The expression cannot be compiled for this link type, names an unknown host, or matches no packet.</exception>
    public static BpfInstruction[] CompileInstructions(string expression, LinkType linkType, FilterOptions? options = null) =>
        CompileInstructions(expression, LinkTypes.ToDlt(linkType), options);

    private static uint? NetmaskValue(FilterOptions options)
    {
        if (options.Netmask is not { } mask)
            return null;
        if (mask.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("the netmask must be an IPv4 address", nameof(options));
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
        // libpcap's PCAP_NETMASK_UNKNOWN.
        return value == uint.MaxValue ? null : value;
    }
}

using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Formats;

namespace Wirecap.Cli;

/// <summary>
/// The command line's filter expression, compiled once per link type met in the input (a pcapng
/// file may mix them) and run on each packet as tcpdump does.
/// </summary>
internal sealed class PacketFilter
{
    private readonly string _expression;
    private readonly FilterOptions _options;
    private readonly Dictionary<LinkType, BpfProgram> _programs = [];

    private PacketFilter(string expression, FilterOptions options)
    {
        _expression = expression;
        _options = options;
    }

    /// <summary>The filter for the command line, or null when it has no expression.</summary>
    public static PacketFilter? From(CliOptions options, int snapLength) => options.Expression is { } expression
        ? new PacketFilter(expression, new FilterOptions { Snaplen = (uint)snapLength, Optimize = !options.NoOptimize })
        : null;

    /// <summary>The program for <paramref name="linkType"/>.</summary>
    /// <exception cref="FilterException">The expression does not compile for this link type.</exception>
    public BpfProgram ProgramFor(LinkType linkType)
    {
        if (!_programs.TryGetValue(linkType, out var program))
            _programs[linkType] = program = FilterCompiler.Compile(_expression, linkType, _options);
        return program;
    }

    /// <summary>Whether the packet passes the filter.</summary>
    public bool Accepts(LinkType linkType, ReadOnlySpan<byte> data, int originalLength) =>
        BpfInterpreter.Run(ProgramFor(linkType), data, new BpfContext { WireLength = (uint)Math.Max(originalLength, data.Length) }) != 0;
}

using Wirecap.Bpf;

namespace Wirecap.Filter;

/// <summary>How <see cref="PacketFilter.Create(string, LinkType, PacketFilterOptions?)"/> builds a filter.</summary>
public sealed record PacketFilterOptions
{
    internal static readonly PacketFilterOptions Default = new();

    /// <summary>How an expression compiles (snapshot length, optimizer, dialect, name resolution).</summary>
    public FilterOptions Compiler { get; init; } = new();

    /// <summary>How the program runs: compiled to IL where the runtime allows it (the default), or interpreted.</summary>
    public BpfFilterOptions Engine { get; init; } = new();
}

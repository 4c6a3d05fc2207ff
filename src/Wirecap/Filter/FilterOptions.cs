using System.Net;
using Wirecap.Bpf;

namespace Wirecap.Filter;

/// <summary>Settings for <see cref="FilterCompiler"/>.</summary>
public sealed record FilterOptions
{
    /// <summary>The value an accepting program returns (libpcap's snapshot length); 262144 by default.</summary>
    public uint Snaplen { get; init; } = 262144;

    /// <summary>The IPv4 netmask of the capture network, needed only by <c>ip broadcast</c>.</summary>
    public IPAddress? Netmask { get; init; }

    /// <summary>Run the optimizer (on by default, as with tcpdump unless <c>-O</c>).</summary>
    public bool Optimize { get; init; } = true;

    /// <summary>
    /// The dialect the program is validated for: <see cref="BpfDialect.Libpcap"/> (userland
    /// filtering, as pcap_offline_filter; allows protochain's loop) by default, or
    /// <see cref="BpfDialect.Kernel"/> for attaching to a socket.
    /// </summary>
    public BpfDialect Dialect { get; init; } = BpfDialect.Libpcap;

    /// <summary>How names are resolved; <see cref="SystemNameResolver.Instance"/> when null.</summary>
    public IFilterNameResolver? Resolver { get; init; }
}

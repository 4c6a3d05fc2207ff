using System.Net;
using System.Net.NetworkInformation;

namespace Wirecap.Filter;

/// <summary>
/// Resolves the names a filter expression may use: hosts (<c>host www</c>), Ethernet hosts
/// (<c>ether host gw</c>), networks (<c>net corp</c>), services (<c>port http</c>) and IP
/// protocols (<c>ip proto gre</c>). <see cref="SystemNameResolver"/> reads the usual system files.
/// </summary>
public interface IFilterNameResolver
{
    /// <summary>All IPv4 and IPv6 addresses of a host name, in preference order; empty when unknown.</summary>
    /// <param name="name">Host name (matched case-insensitively).</param>
    IReadOnlyList<IPAddress> ResolveHost(string name);

    /// <summary>The MAC address of an Ethernet host name, or null.</summary>
    /// <param name="name">Host name as in <c>/etc/ethers</c>.</param>
    PhysicalAddress? ResolveEthernet(string name);

    /// <summary>The network number of a network name (for example 0x0a000000 for 10.0.0.0), or null.</summary>
    /// <param name="name">Network name as in <c>/etc/networks</c>.</param>
    uint? ResolveNetwork(string name);

    /// <summary>The port of a service name for a transport protocol, or null.</summary>
    /// <param name="name">Service name as in <c>/etc/services</c>.</param>
    /// <param name="protocol"><c>tcp</c>, <c>udp</c> or <c>sctp</c>.</param>
    int? ResolveService(string name, string protocol);

    /// <summary>The IP protocol number of a protocol name, or null.</summary>
    /// <param name="name">Protocol name as in <c>/etc/protocols</c>.</param>
    int? ResolveProtocol(string name);
}

using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Wirecap.Filter;

/// <summary>
/// The default resolver: <c>/etc/hosts</c> then DNS for hosts, and <c>/etc/ethers</c>,
/// <c>/etc/networks</c>, <c>/etc/services</c>, <c>/etc/protocols</c> for the rest, read once.
/// </summary>
public sealed class SystemNameResolver : IFilterNameResolver
{
    private static readonly Lazy<NameTables> Files = new(() => new NameTables()
        .AddHosts(Read("/etc/hosts"))
        .AddEthers(Read("/etc/ethers"))
        .AddNetworks(Read("/etc/networks"))
        .AddServices(Read("/etc/services"))
        .AddProtocols(Read("/etc/protocols")));

    /// <summary>The shared instance.</summary>
    public static SystemNameResolver Instance { get; } = new();

    /// <inheritdoc />
    public IReadOnlyList<IPAddress> ResolveHost(string name)
    {
        var fromFile = Files.Value.ResolveHost(name);
        if (fromFile.Count > 0)
            return fromFile;
        try
        {
            return Dns.GetHostAddresses(name)
                .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                .ToArray();
        }
        catch (SocketException)
        {
            return [];
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    /// <inheritdoc />
    public PhysicalAddress? ResolveEthernet(string name) => Files.Value.ResolveEthernet(name);

    /// <inheritdoc />
    public uint? ResolveNetwork(string name) => Files.Value.ResolveNetwork(name);

    /// <inheritdoc />
    public int? ResolveService(string name, string protocol) => Files.Value.ResolveService(name, protocol);

    /// <inheritdoc />
    public int? ResolveProtocol(string name) => Files.Value.ResolveProtocol(name) ?? WellKnownProtocols.Lookup(name);

    private static string Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}

/// <summary>IP protocol names that must work even on a system without <c>/etc/protocols</c>.</summary>
internal static class WellKnownProtocols
{
    private static readonly Dictionary<string, int> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ip"] = 0, ["icmp"] = 1, ["igmp"] = 2, ["ipencap"] = 4, ["tcp"] = 6, ["egp"] = 8, ["igrp"] = 9,
        ["udp"] = 17, ["ipv6"] = 41, ["ip6"] = 41, ["ipv6-route"] = 43, ["ipv6-frag"] = 44, ["rsvp"] = 46, ["gre"] = 47,
        ["esp"] = 50, ["ah"] = 51, ["ipv6-icmp"] = 58, ["icmp6"] = 58, ["ipv6-nonxt"] = 59, ["ipv6-opts"] = 60,
        ["eigrp"] = 88, ["ospf"] = 89, ["pim"] = 103, ["ipcomp"] = 108, ["vrrp"] = 112, ["carp"] = 112,
        ["l2tp"] = 115, ["sctp"] = 132, ["mobility-header"] = 135, ["udplite"] = 136,
    };

    public static int? Lookup(string name) => Table.TryGetValue(name, out var n) ? n : null;
}

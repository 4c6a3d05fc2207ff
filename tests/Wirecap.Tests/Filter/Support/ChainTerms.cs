namespace Wirecap.Testing;

/// <summary>The primitives of the random or/and chains: they test the same few values (ports, hosts, protocols,
/// header bytes) in interleaved order, the shape the chain pull-up regroups. Shared by <c>ChainProperties</c> and the
/// bench's program-identity corpus (linked there), so both see the same shapes.</summary>
public static class ChainTerms
{
    public static readonly string[] All =
    [
        "port 53", "port 123", "src port 443", "dst port 8443", "tcp port 80", "udp port 53", "portrange 1000-2000",
        "host 10.0.0.1", "src host 10.20.30.40", "dst host 192.168.1.1", "net 10.0.0.0/8", "ip proto 17",
        "tcp", "udp", "icmp", "ip6", "ether proto 0x86dd", "len > 100", "less 80",
        "ip[8] > 64", "ip[8] > 100", "ip[1] > 0", "ip[1] != 4", "tcp[13] & 2 != 0", "tcp[13] & 16 != 0",
        "tcp[2:2] > 1000", "udp[0:2] < 1024",
    ];
}

namespace Wirecap.Decoding;

/// <summary>IP protocol numbers (IPv4 protocol field, IPv6 next header) the decoders recognise.</summary>
public static class IpProtocols
{
    /// <summary>IPv6 hop-by-hop options header.</summary>
    public const byte HopByHop = 0;
    /// <summary>Internet Control Message Protocol (IPv4).</summary>
    public const byte Icmp = 1;
    /// <summary>Transmission Control Protocol.</summary>
    public const byte Tcp = 6;
    /// <summary>User Datagram Protocol.</summary>
    public const byte Udp = 17;
    /// <summary>IPv6 routing header.</summary>
    public const byte Routing = 43;
    /// <summary>IPv6 fragment header.</summary>
    public const byte Fragment = 44;
    /// <summary>Encapsulating Security Payload (opaque: nothing after it can be decoded).</summary>
    public const byte Esp = 50;
    /// <summary>Authentication Header.</summary>
    public const byte AuthenticationHeader = 51;
    /// <summary>ICMP for IPv6.</summary>
    public const byte Icmpv6 = 58;
    /// <summary>IPv6 "no next header".</summary>
    public const byte NoNextHeader = 59;
    /// <summary>IPv6 destination options header.</summary>
    public const byte DestinationOptions = 60;
    /// <summary>IPv6 mobility header.</summary>
    public const byte Mobility = 135;
}

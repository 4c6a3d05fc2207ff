using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>
/// A step-by-step walk over the extension headers of an IPv6 packet (hop-by-hop, routing,
/// destination options, mobility, fragment and authentication headers, of any length), starting
/// at the fixed header's Next Header. <see cref="Ipv6Header.TryFindUpperLayer"/> walks to the
/// end; callers that stop somewhere on the way (reassembly stops at the Fragment header) step
/// themselves.
/// </summary>
internal ref struct Ipv6ExtensionWalk
{
    // A bound keeps a chain of tiny headers from running away; real packets use a few.
    private const int MaxSteps = 32;
    private readonly ReadOnlySpan<byte> _payload;
    private int _steps;

    internal Ipv6ExtensionWalk(ReadOnlySpan<byte> payload, byte nextHeader)
    {
        _payload = payload;
        Protocol = nextHeader;
    }

    /// <summary>The header the walk stands at: an extension header, the upper-layer protocol, or a
    /// header the walk cannot see past (such as ESP).</summary>
    public byte Protocol { get; private set; }

    /// <summary>Where that header starts within <see cref="Ipv6Header.Payload"/>.</summary>
    public int Offset { get; private set; }

    /// <summary>The walk stopped at an extension header that was cut short, or at the end of an
    /// implausibly long chain, rather than at a header it does not walk through.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Steps over the extension header at hand to the one it names.</summary>
    /// <returns>False, staying where it is, when <see cref="Protocol"/> is not an extension
    /// header or the header is cut short (then <see cref="Truncated"/> is set).</returns>
    public bool TryStep()
    {
        int length = CurrentLength();
        if (length == 0) return false;
        if (length < 0 || _payload.Length < Offset + length || _steps == MaxSteps)
        {
            Truncated = true;
            return false;
        }
        // Every extension header the walk knows starts with the Next Header byte.
        Protocol = _payload[Offset];
        Offset += length;
        _steps++;
        return true;
    }

    /// <summary>Reads the Fragment header the walk stands at; false when it stands elsewhere or
    /// the header is cut short.</summary>
    public readonly bool TryReadFragment(out Ipv6Fragment fragment)
    {
        fragment = default;
        if (Protocol != IpProtocols.Fragment || _payload.Length < Offset + 8) return false;
        ushort offsetAndFlags = BinaryPrimitives.ReadUInt16BigEndian(_payload[(Offset + 2)..]);
        fragment = new Ipv6Fragment(true, offsetAndFlags & 0xFFF8, (offsetAndFlags & 1) != 0,
            BinaryPrimitives.ReadUInt32BigEndian(_payload[(Offset + 4)..]));
        return true;
    }

    /// <summary>Length of the extension header at hand: 0 when <see cref="Protocol"/> is not one,
    /// -1 when too little of it was captured to tell.</summary>
    private readonly int CurrentLength()
    {
        switch (Protocol)
        {
            case IpProtocols.HopByHop:
            case IpProtocols.Routing:
            case IpProtocols.DestinationOptions:
            case IpProtocols.Mobility:
                return _payload.Length < Offset + 2 ? -1 : (_payload[Offset + 1] + 1) * 8;
            case IpProtocols.AuthenticationHeader:
                return _payload.Length < Offset + 2 ? -1 : (_payload[Offset + 1] + 2) * 4;
            case IpProtocols.Fragment:
                return 8;
            default:
                return 0;
        }
    }
}

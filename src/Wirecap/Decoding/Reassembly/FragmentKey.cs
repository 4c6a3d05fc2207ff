namespace Wirecap.Decoding;

/// <summary>Identity of a fragmented datagram: RFC 791 (src, dst, protocol, id) and RFC 8200 (src, dst, id).</summary>
internal readonly record struct FragmentKey(UInt128 Source, UInt128 Destination, uint Id, byte Protocol, byte Version);

using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>TCP header flags.</summary>
[Flags]
public enum TcpFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>FIN: no more data from sender.</summary>
    Fin = 0x01,
    /// <summary>SYN: synchronize sequence numbers.</summary>
    Syn = 0x02,
    /// <summary>RST: reset the connection.</summary>
    Rst = 0x04,
    /// <summary>PSH: push function.</summary>
    Psh = 0x08,
    /// <summary>ACK: acknowledgment field significant.</summary>
    Ack = 0x10,
    /// <summary>URG: urgent pointer significant.</summary>
    Urg = 0x20,
    /// <summary>ECE: ECN echo.</summary>
    Ece = 0x40,
    /// <summary>CWR: congestion window reduced.</summary>
    Cwr = 0x80,
    /// <summary>AE (formerly NS): accurate ECN.</summary>
    Ae = 0x100,
}

/// <summary>A view over a TCP header (with options) and its payload.</summary>
public readonly ref struct TcpHeader
{
    /// <summary>Length of a header without options.</summary>
    public const int MinLength = 20;
    private readonly ReadOnlySpan<byte> _segment;

    private TcpHeader(ReadOnlySpan<byte> segment) => _segment = segment;

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_segment);
    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_segment[2..]);
    /// <summary>Sequence number.</summary>
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_segment[4..]);
    /// <summary>Acknowledgment number.</summary>
    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_segment[8..]);
    /// <summary>Header length in bytes (data offset × 4).</summary>
    public int HeaderLength => (_segment[12] >> 4) * 4;
    /// <summary>Flags.</summary>
    public TcpFlags Flags => (TcpFlags)(BinaryPrimitives.ReadUInt16BigEndian(_segment[12..]) & 0x1FF);
    /// <summary>Window size (unscaled).</summary>
    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_segment[14..]);
    /// <summary>Checksum as stored.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_segment[16..]);
    /// <summary>Urgent pointer.</summary>
    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_segment[18..]);
    /// <summary>Options (as far as captured).</summary>
    public ReadOnlySpan<byte> Options => _segment[MinLength..Math.Min(HeaderLength, _segment.Length)];
    /// <summary>The payload as captured (empty when the header itself was cut short).</summary>
    public ReadOnlySpan<byte> Payload => HeaderLength <= _segment.Length ? _segment[HeaderLength..] : default;

    /// <summary>Reads the fixed header; false when fewer than 20 bytes were captured or the data
    /// offset is below 5.</summary>
    public static bool TryParse(ReadOnlySpan<byte> segment, out TcpHeader header)
    {
        header = default;
        if (segment.Length < MinLength || (segment[12] >> 4) < 5) return false;
        header = new TcpHeader(segment);
        return true;
    }
}

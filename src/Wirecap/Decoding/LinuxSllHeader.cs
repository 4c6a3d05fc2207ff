using System.Buffers.Binary;

namespace Wirecap.Decoding;

/// <summary>A view over a Linux "cooked" v1 header (LINKTYPE_LINUX_SLL, 16 bytes).</summary>
public readonly ref struct LinuxSllHeader
{
    /// <summary>Header length.</summary>
    public const int Length = LinuxCookedHeader.V1Length;
    private readonly ReadOnlySpan<byte> _frame;

    private LinuxSllHeader(ReadOnlySpan<byte> frame) => _frame = frame;

    /// <summary>Direction/kind of the packet.</summary>
    public LinuxPacketType PacketType => (LinuxPacketType)BinaryPrimitives.ReadUInt16BigEndian(_frame);
    /// <summary>ARPHRD_* type of the device.</summary>
    public ushort HardwareType => BinaryPrimitives.ReadUInt16BigEndian(_frame[2..]);
    /// <summary>Number of meaningful bytes in <see cref="Address"/>.</summary>
    public int AddressLength => BinaryPrimitives.ReadUInt16BigEndian(_frame[4..]);
    /// <summary>Link-layer address of the sender (up to 8 bytes).</summary>
    public ReadOnlySpan<byte> Address => _frame.Slice(6, Math.Min(AddressLength, 8));
    /// <summary>Protocol (an EtherType for most devices).</summary>
    public ushort Protocol => BinaryPrimitives.ReadUInt16BigEndian(_frame[14..]);
    /// <summary>The bytes after the header.</summary>
    public ReadOnlySpan<byte> Payload => _frame[Length..];

    /// <summary>Reads the header; false when the frame is too short.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out LinuxSllHeader header)
    {
        header = frame.Length >= Length ? new LinuxSllHeader(frame) : default;
        return frame.Length >= Length;
    }
}

/// <summary>A view over a Linux "cooked" v2 header (LINKTYPE_LINUX_SLL2, 20 bytes).</summary>
public readonly ref struct LinuxSll2Header
{
    /// <summary>Header length.</summary>
    public const int Length = LinuxCookedHeader.V2Length;
    private readonly ReadOnlySpan<byte> _frame;

    private LinuxSll2Header(ReadOnlySpan<byte> frame) => _frame = frame;

    /// <summary>Protocol (an EtherType for most devices).</summary>
    public ushort Protocol => BinaryPrimitives.ReadUInt16BigEndian(_frame);
    /// <summary>Interface index the packet was seen on.</summary>
    public uint InterfaceIndex => BinaryPrimitives.ReadUInt32BigEndian(_frame[4..]);
    /// <summary>ARPHRD_* type of the device.</summary>
    public ushort HardwareType => BinaryPrimitives.ReadUInt16BigEndian(_frame[8..]);
    /// <summary>Direction/kind of the packet.</summary>
    public LinuxPacketType PacketType => (LinuxPacketType)_frame[10];
    /// <summary>Number of meaningful bytes in <see cref="Address"/>.</summary>
    public int AddressLength => _frame[11];
    /// <summary>Link-layer address of the sender (up to 8 bytes).</summary>
    public ReadOnlySpan<byte> Address => _frame.Slice(12, Math.Min(AddressLength, 8));
    /// <summary>The bytes after the header.</summary>
    public ReadOnlySpan<byte> Payload => _frame[Length..];

    /// <summary>Reads the header; false when the frame is too short.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out LinuxSll2Header header)
    {
        header = frame.Length >= Length ? new LinuxSll2Header(frame) : default;
        return frame.Length >= Length;
    }
}

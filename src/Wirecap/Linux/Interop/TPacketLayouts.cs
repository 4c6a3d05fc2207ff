using System.Runtime.InteropServices;

namespace Wirecap.Linux.Interop;

/// <summary><c>struct tpacket_req3</c>: the geometry of a TPACKET_V3 ring.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TPacketRequest3
{
    public uint BlockSize;
    public uint BlockCount;
    public uint FrameSize;
    public uint FrameCount;
    public uint RetireBlockTimeoutMs;
    public uint PrivateSize;
    public uint FeatureRequestWord;
}

/// <summary><c>struct tpacket_req</c>: the geometry of a TPACKET_V2 ring (fixed-size frames laid out in blocks).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TPacketRequest
{
    public uint BlockSize;
    public uint BlockCount;
    public uint FrameSize;
    public uint FrameCount;
}

/// <summary><c>struct tpacket_block_desc</c> with its <c>tpacket_hdr_v1</c> (the header of one ring block).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TPacketBlockDescriptor
{
    public uint Version;
    public uint OffsetToPrivate;
    public uint BlockStatus;
    public uint PacketCount;
    public uint OffsetToFirstPacket;
    public uint BlockLength;
    public ulong SequenceNumber;
    public uint FirstSeconds;
    public uint FirstNanoseconds;
    public uint LastSeconds;
    public uint LastNanoseconds;
}

/// <summary><c>struct tpacket3_hdr</c>: the header in front of each frame of a V3 block.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TPacket3Header
{
    public uint NextOffset;
    public uint Seconds;
    public uint Nanoseconds;
    public uint SnapLength;
    public uint Length;
    public uint Status;
    public ushort MacOffset;
    public ushort NetworkOffset;
    public uint RxHash;
    public uint VlanTci;
    public ushort VlanTpid;
    public ushort Padding;
    public ulong Padding2;
}

/// <summary><c>struct tpacket2_hdr</c>: the header at the start of each V2 frame slot; <see cref="Status"/> says who owns the slot.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TPacket2Header
{
    public uint Status;
    public uint Length;
    public uint SnapLength;
    public ushort MacOffset;
    public ushort NetworkOffset;
    public uint Seconds;
    public uint Nanoseconds;
    public ushort VlanTci;
    public ushort VlanTpid;
    public fixed byte Padding[4];
}

/// <summary><c>struct sockaddr_ll</c>: a link-level address (protocol is big-endian).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockAddrLinkLayer
{
    public ushort Family;
    public ushort ProtocolBigEndian;
    public int InterfaceIndex;
    public ushort HardwareType;
    public byte PacketType;
    public byte AddressLength;
    public fixed byte Address[8];
}

/// <summary><c>struct tpacket_stats_v3</c> (a V2 socket fills only the first two fields).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TPacketStats3
{
    public uint Packets;
    public uint Drops;
    public uint FreezeQueueCount;
}

/// <summary><c>struct packet_mreq</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PacketMembershipRequest
{
    public int InterfaceIndex;
    public ushort Type;
    public ushort AddressLength;
    public fixed byte Address[8];
}

/// <summary><c>struct sock_fprog</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockFilterProgram
{
    public ushort Length;
    public void* Filter;
}

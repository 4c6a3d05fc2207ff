namespace Wirecap.Linux.Interop;

/// <summary>Numbers from <c>linux/if_packet.h</c>, <c>linux/if_ether.h</c> and <c>asm-generic/socket.h</c>.</summary>
internal static class PacketSocketConstants
{
    internal const int AddressFamilyPacket = 17;        // AF_PACKET
    internal const int SocketRaw = 3;                   // SOCK_RAW
    internal const int SocketDatagram = 2;              // SOCK_DGRAM
    internal const int SocketCloseOnExec = 0x80000;     // SOCK_CLOEXEC
    internal const int SocketNonBlocking = 0x800;       // SOCK_NONBLOCK

    internal const ushort EtherTypeAll = 0x0003;        // ETH_P_ALL

    internal const int SolSocket = 1;
    internal const int SolPacket = 263;

    internal const int SoReceiveBuffer = 8;             // SO_RCVBUF
    internal const int SoAttachFilter = 26;
    internal const int SoDetachFilter = 27;
    internal const int SoLockFilter = 44;

    internal const int PacketAddMembership = 1;
    internal const int PacketDropMembership = 2;
    internal const int PacketRxRing = 5;
    internal const int PacketStatistics = 6;
    internal const int PacketAuxData = 8;
    internal const int PacketVersion = 10;
    internal const int PacketHeaderLength = 11;
    internal const int PacketReserve = 12;
    internal const int PacketFanout = 18;
    internal const int PacketIgnoreOutgoing = 23;

    internal const ushort PacketMembershipPromiscuous = 1;   // PACKET_MR_PROMISC

    internal const int TPacketV2 = 1;
    internal const int TPacketV3 = 2;

    internal const uint StatusKernel = 0x0;
    internal const uint StatusUser = 0x1;
    internal const uint StatusLosing = 0x4;
    internal const uint StatusVlanValid = 0x10;
    internal const uint StatusBlockTimeout = 0x20;
    internal const uint StatusVlanTpidValid = 0x40;

    internal const ushort ArpHardwareEthernet = 1;
    internal const ushort ArpHardwareLoopback = 772;
    internal const ushort ArpHardwareNone = 0xfffe;

    /// <summary>TPACKET_ALIGNMENT: frame headers and frames start on multiples of this.</summary>
    internal const int FrameAlignment = 16;
}

using Wirecap.Bpf;
using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Linux;

/// <summary>The socket options a capture needs, each call checked and its failure explained.</summary>
internal sealed unsafe class PacketSocket : IDisposable
{
    private readonly string _device;

    private PacketSocket(PacketSocketHandle handle, string device)
    {
        Handle = handle;
        _device = device;
    }

    internal PacketSocketHandle Handle { get; }

    /// <summary>Opens a packet socket with protocol 0: it receives nothing until <see cref="Bind"/> names a protocol,
    /// so the ring and the filter are in place before the first packet arrives.</summary>
    internal static PacketSocket Open(bool cooked, string device)
    {
        var type = (cooked ? SocketDatagram : SocketRaw) | SocketCloseOnExec;
        var fd = Libc.Socket(AddressFamilyPacket, type, 0);
        if (fd < 0) throw Errno.ToException("socket(AF_PACKET)", Errno.Last, device);
        return new PacketSocket(new PacketSocketHandle(fd), device);
    }

    internal void SetInt(int level, int option, int value, string name)
    {
        var result = Libc.SetSockOpt(Handle, level, option, &value, sizeof(int));
        Errno.ThrowIfFailed(result, $"setsockopt({name})", _device);
    }

    internal void SetRing(in TPacketRequest3 request)
    {
        fixed (TPacketRequest3* p = &request)
        {
            if (Libc.SetSockOpt(Handle, SolPacket, PacketRxRing, p, sizeof(TPacketRequest3)) < 0)
                throw RingErrors.Allocation(Errno.Last, _device, (long)request.BlockSize * request.BlockCount);
        }
    }

    internal void SetRing(in TPacketRequest request)
    {
        fixed (TPacketRequest* p = &request)
        {
            if (Libc.SetSockOpt(Handle, SolPacket, PacketRxRing, p, sizeof(TPacketRequest)) < 0)
                throw RingErrors.Allocation(Errno.Last, _device, (long)request.BlockSize * request.BlockCount);
        }
    }

    internal void Bind(int interfaceIndex)
    {
        var address = new SockAddrLinkLayer
        {
            Family = AddressFamilyPacket,
            ProtocolBigEndian = ToBigEndian(EtherTypeAll),
            InterfaceIndex = interfaceIndex,
        };
        Errno.ThrowIfFailed(Libc.Bind(Handle, &address, sizeof(SockAddrLinkLayer)), "bind(AF_PACKET)", _device);
        // Binding to a down interface succeeds but leaves ENETDOWN pending on the socket.
        var pending = PendingError();
        if (pending != 0) throw Errno.ToException("bind(AF_PACKET)", pending, _device);
    }

    /// <summary>Reads and clears the socket's pending error (<c>SO_ERROR</c>).</summary>
    internal int PendingError()
    {
        int error = 0, length = sizeof(int);
        Errno.ThrowIfFailed(Libc.GetSockOpt(Handle, SolSocket, 4 /* SO_ERROR */, &error, ref length), "getsockopt(SO_ERROR)", _device);
        return error;
    }

    internal void AddPromiscuousMembership(int interfaceIndex)
    {
        var request = new PacketMembershipRequest { InterfaceIndex = interfaceIndex, Type = PacketMembershipPromiscuous };
        Errno.ThrowIfFailed(Libc.SetSockOpt(Handle, SolPacket, PacketAddMembership, &request, sizeof(PacketMembershipRequest)),
            "setsockopt(PACKET_ADD_MEMBERSHIP)", _device);
    }

    internal void JoinFanout(FanoutOptions fanout)
    {
        var flags = (fanout.Defragment ? 0x8000 : 0) | (fanout.RolloverWhenFull ? 0x1000 : 0);
        SetInt(SolPacket, PacketFanout, fanout.GroupId | (((int)fanout.Mode | flags) << 16), "PACKET_FANOUT");
    }

    /// <summary>Attaches a classic BPF program; returns 0 or the errno with which the kernel refused it.</summary>
    internal int TryAttachFilter(ReadOnlySpan<BpfInstruction> program)
    {
        fixed (BpfInstruction* instructions = program)
        {
            var fprog = new SockFilterProgram { Length = (ushort)program.Length, Filter = instructions };
            return Libc.SetSockOpt(Handle, SolSocket, SoAttachFilter, &fprog, sizeof(SockFilterProgram)) == 0 ? 0 : Errno.Last;
        }
    }

    /// <summary>Removes the attached program, if any.</summary>
    internal void DetachFilter()
    {
        int unused = 0;
        _ = Libc.SetSockOpt(Handle, SolSocket, SoDetachFilter, &unused, sizeof(int));
    }

    /// <summary>Reads the kernel's counters, which the read resets.</summary>
    internal TPacketStats3 ReadStatistics()
    {
        TPacketStats3 stats = default;
        var length = sizeof(TPacketStats3);
        Errno.ThrowIfFailed(Libc.GetSockOpt(Handle, SolPacket, PacketStatistics, &stats, ref length), "getsockopt(PACKET_STATISTICS)", _device);
        return stats;
    }

    internal static ushort ToBigEndian(ushort value) => BitConverter.IsLittleEndian ? (ushort)((value >> 8) | (value << 8)) : value;

    public void Dispose() => Handle.Dispose();
}

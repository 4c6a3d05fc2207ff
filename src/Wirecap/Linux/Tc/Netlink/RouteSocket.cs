using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Wirecap.Linux.Interop;

namespace Wirecap.Linux.Tc.Netlink;

/// <summary>
/// An rtnetlink socket (<c>AF_NETLINK</c>, <c>NETLINK_ROUTE</c>) in the network namespace of the thread that made it:
/// requests answered by an acknowledgement or an error (with the kernel's extended-ack text when it gives one), and
/// dumps read to <c>NLMSG_DONE</c>. One caller at a time.
/// </summary>
internal sealed unsafe class RouteSocket : IDisposable
{
    private const int AddressFamilyNetlink = 16;
    private const int SocketRaw = 3;
    private const int SocketCloseOnExec = 0x80000;
    private const int NetlinkRoute = 0;
    private const int SolNetlink = 270;
    private const int NetlinkCapAck = 10;
    private const int NetlinkExtAck = 11;

    public const ushort Noop = 1, Error = 2, Done = 3;
    public const ushort FlagRequest = 0x1, FlagMulti = 0x2, FlagAck = 0x4, FlagDump = 0x300, FlagExclusive = 0x200, FlagCreate = 0x400;
    private const ushort FlagAckTlvs = 0x200;
    private const ushort ExtAckMessage = 1;

    private readonly NetlinkSocketHandle _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private uint _sequence = (uint)Environment.TickCount;

    private RouteSocket(NetlinkSocketHandle socket) => _socket = socket;

    public static RouteSocket Open()
    {
        int fd = Libc.Socket(AddressFamilyNetlink, SocketRaw | SocketCloseOnExec, NetlinkRoute);
        if (fd < 0) throw TcErrors.Netlink("socket(AF_NETLINK, NETLINK_ROUTE)", Errno.Last, null);
        var socket = new NetlinkSocketHandle(fd);
        try
        {
            // Extended acks carry the kernel's reason in words ("Unknown qdisc kind"); capped acks leave out our request.
            int one = 1;
            _ = Libc.SetSockOpt(socket, SolNetlink, NetlinkExtAck, &one, sizeof(int));
            _ = Libc.SetSockOpt(socket, SolNetlink, NetlinkCapAck, &one, sizeof(int));
            Span<byte> address = stackalloc byte[12];
            address.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(address, AddressFamilyNetlink);
            fixed (byte* a = address)
                if (Libc.Bind(socket, a, address.Length) < 0) throw TcErrors.Netlink("bind(AF_NETLINK)", Errno.Last, null);
            return new RouteSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public uint NextSequence() => ++_sequence;

    /// <summary>Sends a request made with <see cref="FlagAck"/> and waits for its answer.</summary>
    /// <returns>0, or the negative errno and the kernel's text (null when it gave none).</returns>
    public (int Error, string? Message) TryRequest(NetlinkMessage message)
    {
        Send(message);
        (int, string?) answer = default;
        ReadReplies(message.Sequence, (ushort type, ushort flags, ReadOnlySpan<byte> reply) =>
        {
            if (type != Error) return true;
            answer = ParseError(reply, flags);
            return false;
        });
        return answer;
    }

    /// <summary>Sends a dump request and returns the payloads (after <c>nlmsghdr</c>) of its answers of <paramref name="replyType"/>.</summary>
    public List<byte[]> Dump(NetlinkMessage message, ushort replyType, string call)
    {
        Send(message);
        var replies = new List<byte[]>();
        ReadReplies(message.Sequence, (ushort type, ushort flags, ReadOnlySpan<byte> reply) =>
        {
            if (type == Done) return false;
            if (type == Error)
            {
                var (error, text) = ParseError(reply, flags);
                if (error == 0) return false;
                throw TcErrors.Netlink(call, -error, text);
            }
            if (type == replyType) replies.Add(reply[NetlinkMessage.HeaderLength..].ToArray());
            return true;
        });
        return replies;
    }

    /// <summary>One answer to our request: its type, flags and the whole message (header included); false ends the reading.</summary>
    private delegate bool ReplyHandler(ushort type, ushort flags, ReadOnlySpan<byte> message);

    /// <summary>Hands the answers to request <paramref name="sequence"/> to <paramref name="handler"/> until it says stop.</summary>
    private void ReadReplies(uint sequence, ReplyHandler handler)
    {
        while (true)
        {
            int length = Receive();
            for (int offset = 0; offset + NetlinkMessage.HeaderLength <= length;)
            {
                var rest = _buffer.AsSpan(offset, length - offset);
                int messageLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(rest);
                if (messageLength < NetlinkMessage.HeaderLength || messageLength > rest.Length) break;
                offset += (messageLength + 3) & ~3;
                if (BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]) != sequence) continue;
                if (!handler(BinaryPrimitives.ReadUInt16LittleEndian(rest[4..]), BinaryPrimitives.ReadUInt16LittleEndian(rest[6..]), rest[..messageLength]))
                    return;
            }
        }
    }

    private static (int Error, string? Message) ParseError(ReadOnlySpan<byte> message, ushort flags)
    {
        var body = message[NetlinkMessage.HeaderLength..];
        int error = BinaryPrimitives.ReadInt32LittleEndian(body);
        string? text = null;
        if ((flags & FlagAckTlvs) != 0)
        {
            // nlmsgerr: the error, then the request's header (capped), then the extended-ack attributes.
            int skip = 4 + NetlinkMessage.HeaderLength;
            if (body.Length > skip) text = new NetlinkAttributes(body[skip..]).String(ExtAckMessage);
        }
        return (error, text);
    }

    private void Send(NetlinkMessage message)
    {
        var bytes = message.ToArray();
        Span<byte> kernel = stackalloc byte[12];
        kernel.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(kernel, AddressFamilyNetlink);
        fixed (byte* b = bytes)
        fixed (byte* k = kernel)
        {
            while (true)
            {
                nint sent = Libc.SendTo(_socket, b, (nuint)bytes.Length, 0, k, kernel.Length);
                if (sent == bytes.Length) return;
                int errno = Errno.Last;
                if (sent < 0 && errno == Errno.EINTR) continue;
                throw TcErrors.Netlink("sendto(AF_NETLINK)", errno, null);
            }
        }
    }

    private int Receive()
    {
        fixed (byte* b = _buffer)
        {
            while (true)
            {
                nint received = Libc.Recv(_socket, b, (nuint)_buffer.Length, 0);
                if (received >= 0) return (int)received;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue;
                throw TcErrors.Netlink("recv(AF_NETLINK)", errno, null);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}

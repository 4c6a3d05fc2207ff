using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Tests.Linux;

/// <summary>Sends hand-built Ethernet frames out of an interface through a raw packet socket (create it on a
/// thread inside the test namespace).</summary>
internal sealed unsafe class FrameInjector : IDisposable
{
    private readonly PacketSocketHandle _socket;
    private readonly int _index;

    /// <param name="device">The interface to send out of.</param>
    /// <param name="mark">A firewall mark (SO_MARK) for every frame sent: the kernel copies the socket's mark into each
    /// skb it builds, so TC programs and probes see it; 0 leaves the socket unmarked.</param>
    public FrameInjector(string device, uint mark = 0)
    {
        _index = (int)Libc.IfNameToIndex(device);
        if (_index == 0) throw new InvalidOperationException($"no device {device}");
        var fd = Libc.Socket(AddressFamilyPacket, SocketRaw | SocketCloseOnExec, 0);
        if (fd < 0) throw new InvalidOperationException($"socket failed: errno {Errno.Last}");
        _socket = new PacketSocketHandle(fd);
        if (mark != 0 && Libc.SetSockOpt(_socket, SolSocket, SocketMark, &mark, sizeof(uint)) != 0)
        {
            _socket.Dispose();
            throw new InvalidOperationException($"setsockopt(SO_MARK) failed: errno {Errno.Last}");
        }
    }

    private const int SocketMark = 36; // SO_MARK

    public void Send(ReadOnlySpan<byte> frame)
    {
        var address = new SockAddrLinkLayer { Family = AddressFamilyPacket, InterfaceIndex = _index, AddressLength = 6 };
        fixed (byte* data = frame)
        {
            while (true)
            {
                var sent = Libc.SendTo(_socket, data, (nuint)frame.Length, 0, &address, sizeof(SockAddrLinkLayer));
                if (sent == frame.Length) return;
                if (sent < 0 && Errno.Last == Errno.ENOBUFS) { Thread.Yield(); continue; }
                throw new InvalidOperationException($"sendto returned {sent}, errno {Errno.Last}");
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}

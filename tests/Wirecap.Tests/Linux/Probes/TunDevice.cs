using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>
/// A tun device (layer 3, no MAC header) in a test namespace, created by opening /dev/net/tun on a thread
/// in that namespace; what is written to it the kernel receives as an IP packet on the device.
/// </summary>
internal sealed partial class TunDevice : IDisposable
{
    private const uint TunSetIff = 0x400454ca;
    private const short IffTun = 0x0001, IffNoPi = 0x1000;
    private readonly int _fd;

    public string Name { get; }

    public unsafe TunDevice(string netns, string name, string address)
    {
        Name = name;
        _fd = PairedNamespaces.Run(netns, () =>
        {
            int fd = Open("/dev/net/tun", 2 /* O_RDWR */);
            if (fd < 0) throw new InvalidOperationException($"open(/dev/net/tun) failed: errno {Marshal.GetLastPInvokeError()}");
            byte* ifreq = stackalloc byte[40];
            new Span<byte>(ifreq, 40).Clear();
            System.Text.Encoding.ASCII.GetBytes(name).CopyTo(new Span<byte>(ifreq, 15));
            *(short*)(ifreq + 16) = IffTun | IffNoPi;
            if (Ioctl(fd, TunSetIff, ifreq) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                Close(fd);
                throw new InvalidOperationException($"ioctl(TUNSETIFF {name}) failed: errno {errno}");
            }
            return fd;
        });
        PairedNamespaces.Exec(netns, $"ip addr add {address}/24 dev {name}");
        PairedNamespaces.Exec(netns, $"ip link set {name} up");
    }

    /// <summary>Hands <paramref name="packet"/> (an IPv4 packet) to the kernel as received on the device.</summary>
    public unsafe void Receive(byte[] packet)
    {
        fixed (byte* p = packet)
            if (Write(_fd, p, packet.Length) != packet.Length) throw new InvalidOperationException($"write to {Name} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>An IPv4 UDP packet with a valid header checksum (UDP checksum 0: none).</summary>
    public static byte[] Udp(byte[] source, byte[] destination, int port, byte[] payload)
    {
        var packet = new byte[28 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        source.CopyTo(packet, 12);
        destination.CopyTo(packet, 16);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(i));
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), (ushort)~sum);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), (ushort)port);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet, 28);
        return packet;
    }

    public void Dispose() => Close(_fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int fd, uint request, byte* argument);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Wirecap.Formats;
using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Linux;

/// <summary>Lists the interfaces of the calling thread's network namespace and looks one up for a capture.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static unsafe class CaptureDevices
{
    /// <summary>Every interface with its index, link type, state, MTU and addresses, ordered by index.</summary>
    public static IReadOnlyList<CaptureDevice> List()
    {
        var byName = new Dictionary<string, (int Index, ushort HardwareType, byte[] Mac, uint Flags, List<IPAddress> Addresses)>();
        if (Libc.GetIfAddrs(out var list) != 0) throw Errno.ToException("getifaddrs", Errno.Last, null);
        try
        {
            for (var entry = list; entry != null; entry = entry->Next)
            {
                var name = Marshal.PtrToStringUTF8((nint)entry->Name) ?? "";
                if (!byName.TryGetValue(name, out var info))
                    info = (0, 0, [], entry->Flags, new List<IPAddress>());
                if (entry->Address != null)
                {
                    var family = *(ushort*)entry->Address;
                    if (family == AddressFamilyPacket)
                    {
                        var link = (SockAddrLinkLayer*)entry->Address;
                        info.Index = link->InterfaceIndex;
                        info.HardwareType = link->HardwareType;
                        info.Mac = new ReadOnlySpan<byte>(link->Address, Math.Min((int)link->AddressLength, 8)).ToArray();
                    }
                    else if (family == 2) info.Addresses.Add(new IPAddress(new ReadOnlySpan<byte>(entry->Address + 4, 4)));
                    else if (family == 10) info.Addresses.Add(new IPAddress(new ReadOnlySpan<byte>(entry->Address + 8, 16), *(uint*)(entry->Address + 24)));
                }
                byName[name] = info;
            }
        }
        finally
        {
            Libc.FreeIfAddrs(list);
        }

        using var query = QuerySocket();
        var result = new List<CaptureDevice>();
        foreach (var (name, info) in byName)
        {
            var index = info.Index != 0 ? info.Index : (int)Libc.IfNameToIndex(name);
            result.Add(new CaptureDevice(name, index, LinkTypeOf(info.HardwareType), info.HardwareType,
                (info.Flags & Libc.InterfaceUp) != 0, (info.Flags & Libc.InterfaceRunning) != 0, (info.Flags & Libc.InterfaceLoopback) != 0,
                Mtu(query, name), info.Mac, info.Addresses));
        }
        result.Sort((a, b) => a.Index.CompareTo(b.Index));
        return result;
    }

    /// <summary>The LINKTYPE_* a raw packet socket produces on a device of this ARPHRD_* type, or LINUX_SLL2 when
    /// the device's header is not one a capture file can describe (then the capture runs cooked).</summary>
    internal static LinkType LinkTypeOf(ushort hardwareType) => hardwareType switch
    {
        ArpHardwareEthernet or ArpHardwareLoopback => LinkType.Ethernet,
        ArpHardwareNone => LinkType.Raw,
        _ => LinkType.LinuxSll2,
    };

    /// <summary>
    /// The IPv4 netmask a filter compiled for a live capture on <paramref name="name"/> uses (for <c>ip broadcast</c>),
    /// as tcpdump finds it with <c>pcap_lookupnet</c>: the mask of the interface's primary IPv4 address, the class mask
    /// of that address when the kernel reports none, and 0.0.0.0 for <c>any</c>, an interface without an IPv4 address
    /// or one whose class is unknown (tcpdump goes on with 0 then too).
    /// </summary>
    /// <param name="name">The interface name, or <c>any</c>.</param>
    /// <returns>The netmask; 0.0.0.0 when there is none.</returns>
    public static IPAddress Ipv4Netmask(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == PacketCaptureOptions.AnyInterface || Encoding.UTF8.GetByteCount(name) >= 16) return IPAddress.Any;
        using var query = QuerySocket();
        var request = Request(name);
        if (Libc.Ioctl(query, Libc.SiocGetInterfaceAddress, &request) != 0) return IPAddress.Any;
        var address = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(request.Ipv4Address);
        request = Request(name);
        if (Libc.Ioctl(query, Libc.SiocGetInterfaceNetmask, &request) != 0) return IPAddress.Any;
        var mask = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(request.Ipv4Address);
        if (mask == 0)
            mask = (address >> 24) switch
            {
                < 128 => 0xff000000, // IN_CLASSA
                < 192 => 0xffff0000, // IN_CLASSB
                < 224 => 0xffffff00, // IN_CLASSC
                _ => 0,
            };
        return new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mask));
    }

    /// <summary>Index of <paramref name="name"/>, or an <see cref="InterfaceNotFoundException"/>.</summary>
    internal static int IndexOf(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) >= 16)
            throw new InterfaceNotFoundException("if_nametoindex", Errno.ENODEV, $"interface name '{name}' is longer than the kernel's 15-byte limit");
        var index = Libc.IfNameToIndex(name);
        if (index == 0) throw Errno.ToException("if_nametoindex", Errno.ENODEV, name);
        return (int)index;
    }

    /// <summary>The ARPHRD_* type and flags of an interface, by name.</summary>
    internal static (ushort HardwareType, int Flags) Describe(string name)
    {
        using var query = QuerySocket();
        var request = Request(name);
        Errno.ThrowIfFailed(Libc.Ioctl(query, Libc.SiocGetInterfaceFlags, &request), "ioctl(SIOCGIFFLAGS)", name);
        var flags = (ushort)request.Flags;
        request = Request(name);
        Errno.ThrowIfFailed(Libc.Ioctl(query, 0x8927 /* SIOCGIFHWADDR */, &request), "ioctl(SIOCGIFHWADDR)", name);
        return ((ushort)request.Flags, flags);
    }

    /// <summary>Name of the interface with this index, or an <see cref="InterfaceNotFoundException"/>.</summary>
    internal static string NameOf(int index)
    {
        foreach (var candidate in List())
            if (candidate.Index == index) return candidate.Name;
        throw Errno.ToException("if_indextoname", Errno.ENODEV, $"#{index}");
    }

    private static int Mtu(FileDescriptorHandle query, string name)
    {
        var request = Request(name);
        return Libc.Ioctl(query, Libc.SiocGetInterfaceMtu, &request) == 0 ? request.Value : 0;
    }

    private static Libc.InterfaceRequest Request(string name)
    {
        var request = new Libc.InterfaceRequest();
        var bytes = Encoding.UTF8.GetBytes(name);
        var length = Math.Min(bytes.Length, 15);
        for (var i = 0; i < length; i++) request.Name[i] = bytes[i];
        return request;
    }

    /// <summary>An unprivileged datagram socket, used only as a handle for interface ioctls.</summary>
    private static FileDescriptorHandle QuerySocket()
    {
        var fd = Libc.Socket(2 /* AF_INET */, SocketDatagram | SocketCloseOnExec, 0);
        if (fd < 0) throw Errno.ToException("socket(AF_INET)", Errno.Last, null);
        return new FileDescriptorHandle(fd);
    }
}

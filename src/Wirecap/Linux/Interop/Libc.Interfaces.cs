using System.Runtime.InteropServices;

namespace Wirecap.Linux.Interop;

/// <summary>Interface names, indexes and addresses (glibc answers these over netlink, so they follow the
/// calling thread's network namespace, unlike <c>/sys/class/net</c>).</summary>
internal static unsafe partial class Libc
{
    internal const nuint SiocGetInterfaceFlags = 0x8913;
    internal const nuint SiocGetInterfaceMtu = 0x8921;
    internal const nuint SiocGetInterfaceAddress = 0x8915;
    internal const nuint SiocGetInterfaceNetmask = 0x891b;

    internal const int InterfaceUp = 0x1;
    internal const int InterfaceLoopback = 0x8;
    internal const int InterfaceRunning = 0x40;
    internal const int InterfacePromiscuous = 0x100;

    /// <summary>The C <c>struct ifaddrs</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IfAddrs
    {
        public IfAddrs* Next;
        public byte* Name;
        public uint Flags;
        public byte* Address;
        public byte* Netmask;
        public byte* BroadcastOrDestination;
        public void* Data;
    }

    /// <summary>The C <c>struct ifreq</c> (16-byte name, 24-byte union), used for SIOCGIF* ioctls.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    internal struct InterfaceRequest
    {
        [FieldOffset(0)] public fixed byte Name[16];
        [FieldOffset(16)] public short Flags;
        [FieldOffset(16)] public int Value;
        /// <summary>The IPv4 address of a <c>struct sockaddr_in</c> in the union, in network byte order.</summary>
        [FieldOffset(20)] public uint Ipv4Address;
    }

    [LibraryImport(Library, EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint IfNameToIndex(string name);

    [LibraryImport(Library, EntryPoint = "getifaddrs", SetLastError = true)]
    internal static partial int GetIfAddrs(out IfAddrs* list);

    [LibraryImport(Library, EntryPoint = "freeifaddrs")]
    internal static partial void FreeIfAddrs(IfAddrs* list);
}

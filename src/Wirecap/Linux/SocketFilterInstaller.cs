using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Formats;
using Wirecap.Linux.Interop;

namespace Wirecap.Linux;

/// <summary>Puts a capture's filter into the kernel, or says why it must run in this process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class SocketFilterInstaller
{
    /// <summary>The options' filter (a program, or an expression compiled for the link type), or null.</summary>
    internal static BpfProgram? FromOptions(PacketCaptureOptions options, LinkType linkType, string device) =>
        options.Filter ?? Compile(options.FilterExpression, options.SnapLength, linkType, device);

    /// <summary>Installs <paramref name="filter"/> on the socket (without one: a program that only cuts packets to
    /// the snapshot length, so the ring holds no bytes that would be thrown away). Returns the filter to run in this
    /// process when the kernel cannot run the program (then nothing is attached), else null. The kernel swaps
    /// programs atomically, so no packet is ever let through unfiltered. A cooked capture's (<see cref="LinkType.LinuxSll2"/>)
    /// program is rewritten for the kernel, which sees the packet without the cooked header.</summary>
    internal static PacketFilter? Install(PacketSocket socket, BpfProgram? filter, int snapLength, LinkType linkType, string device)
    {
        if (filter is not { Length: > 0 })
        {
            if (snapLength < PacketCaptureOptions.MaximumSnapLength)
            {
                var errno = socket.TryAttachFilter([BpfInstruction.Statement(BpfOpcode.RetK, (uint)snapLength)]);
                if (errno != 0) throw Errno.ToException("setsockopt(SO_ATTACH_FILTER)", errno, device);
            }
            else socket.DetachFilter();
            return null;
        }
        var kernelProgram = filter.Instructions.ToArray();
        if ((linkType != LinkType.LinuxSll2 || CookedProgramAdapter.TryAdapt(kernelProgram, out kernelProgram))
            && kernelProgram.Length <= ushort.MaxValue
            && socket.TryAttachFilter(kernelProgram) == 0)
            return null;
        socket.DetachFilter();
        return PacketFilter.Create(filter, linkType);
    }

    /// <summary>Compiles the options' expression for the kernel's dialect; a program the kernel's checker would refuse
    /// (e.g. <c>protochain</c>'s backward jump) is compiled for libpcap's and runs in this process. <c>ip broadcast</c>
    /// takes the netmask of <paramref name="device"/>, as tcpdump's does.</summary>
    internal static BpfProgram? Compile(string? expression, int snapLength, LinkType linkType, string device)
    {
        if (string.IsNullOrWhiteSpace(expression)) return null;
        var compile = new FilterOptions { Snaplen = (uint)snapLength, Dialect = BpfDialect.Kernel, Netmask = CaptureDevices.Ipv4Netmask(device) };
        try
        {
            return FilterCompiler.Compile(expression, linkType, compile);
        }
        catch (BpfValidationException)
        {
            return FilterCompiler.Compile(expression, linkType, compile with { Dialect = BpfDialect.Libpcap });
        }
    }
}

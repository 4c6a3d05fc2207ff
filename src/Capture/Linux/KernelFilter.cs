using Capture.Bpf;
using Capture.Filter;
using Capture.Formats;
using Capture.Linux.Interop;

namespace Capture.Linux;

/// <summary>Puts the capture's filter into the kernel, or says why it must run in this process.</summary>
internal static class KernelFilter
{
    /// <summary>Attaches the options' filter (or, without one, a program that only cuts packets to the snapshot
    /// length, so the ring holds no bytes that would be thrown away). Returns the user-space filter to run when the
    /// kernel cannot run the program, else null.</summary>
    internal static IUserSpaceFilter? Attach(PacketSocket socket, PacketCaptureOptions options, LinkType linkType, bool cooked, string device)
    {
        var filter = options.Filter ?? Compile(options, linkType);
        if (filter is not { Length: > 0 })
        {
            if (options.SnapLength < PacketCaptureOptions.MaximumSnapLength)
            {
                var keep = (uint)options.SnapLength;
                var cut = BpfInstruction.Statement(BpfOpcode.RetK, keep);
                var errno = socket.TryAttachFilter([cut]);
                if (errno != 0) throw Errno.ToException("setsockopt(SO_ATTACH_FILTER)", errno, device);
            }
            return null;
        }
        var program = filter.Instructions.ToArray();
        var kernelProgram = program;
        if (cooked && !CookedProgramAdapter.TryAdapt(program, out kernelProgram))
            return new BpfUserSpaceFilter(filter);
        if (kernelProgram.Length > ushort.MaxValue)
            return new BpfUserSpaceFilter(filter);
        return socket.TryAttachFilter(kernelProgram) == 0 ? null : new BpfUserSpaceFilter(filter);
    }

    /// <summary>Compiles the options' expression for the kernel's dialect; a program the kernel's checker would refuse
    /// (e.g. <c>protochain</c>'s backward jump) is compiled for libpcap's and runs in this process.</summary>
    private static BpfProgram? Compile(PacketCaptureOptions options, LinkType linkType)
    {
        if (string.IsNullOrWhiteSpace(options.FilterExpression)) return null;
        var compile = new FilterOptions { Snaplen = (uint)options.SnapLength, Dialect = BpfDialect.Kernel };
        try
        {
            return FilterCompiler.Compile(options.FilterExpression, linkType, compile);
        }
        catch (BpfValidationException)
        {
            return FilterCompiler.Compile(options.FilterExpression, linkType, compile with { Dialect = BpfDialect.Libpcap });
        }
    }
}

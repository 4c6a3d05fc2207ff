using Capture.Bpf;
using Capture.Linux.Interop;

namespace Capture.Linux;

/// <summary>Puts the capture's filter into the kernel, or says why it must run in this process.</summary>
internal static class KernelFilter
{
    /// <summary>Attaches the options' filter (or, without one, a program that only cuts packets to the snapshot
    /// length, so the ring holds no bytes that would be thrown away). Returns the user-space filter to run when the
    /// kernel cannot run the program, else null.</summary>
    internal static IUserSpaceFilter? Attach(PacketSocket socket, PacketCaptureOptions options, bool cooked, string device)
    {
        if (options.Filter is not { Length: > 0 } filter)
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
}

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
        if (options.Filter is not { Length: > 0 } program)
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
        var kernelProgram = program;
        if (cooked && !CookedProgramAdapter.TryAdapt(program, out kernelProgram))
            return UserSpace(program, device, "it reads parts of the cooked header the kernel cannot see");
        if (kernelProgram.Length > ushort.MaxValue)
            return UserSpace(program, device, "it is longer than 65535 instructions");
        var refused = socket.TryAttachFilter(kernelProgram);
        return refused == 0 ? null : UserSpace(program, device, $"the kernel refused it (errno {refused})");
    }

    private static IUserSpaceFilter UserSpace(BpfInstruction[] program, string device, string reason) =>
        UserSpaceFilterFactory.Create(program)
        ?? throw new LinuxCaptureException("setsockopt(SO_ATTACH_FILTER)", Errno.EINVAL,
            $"the filter for '{device}' cannot run in the kernel ({reason}) and no user-space BPF engine is available");
}

using Capture.Bpf;

namespace Capture.Linux;

/// <summary>Makes the in-process filter used when the kernel cannot run a program.</summary>
internal static class UserSpaceFilterFactory
{
    internal static IUserSpaceFilter? Create(BpfInstruction[] program) => null;
}

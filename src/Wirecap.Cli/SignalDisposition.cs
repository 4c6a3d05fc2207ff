using System.Runtime.InteropServices;

namespace Wirecap.Cli;

/// <summary>
/// Reads and resets how the process treats a signal. A shell starts a background job with SIGINT ignored, and .NET
/// then leaves it ignored even when a handler is registered; tcpdump catches it regardless, so we put it back to the
/// default before registering. Only an ignored signal is touched, never a handler the runtime installed.
/// </summary>
internal static class SignalDisposition
{
    public const int SigHup = 1, SigInt = 2;
    private const nint Default = 0, Ignore = 1;

    [DllImport("libc", EntryPoint = "sigaction")]
    private static extern int QueryAction(int signal, nint newAction, byte[] oldAction);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint SetHandler(int signal, nint handler);

    /// <summary>Whether the process ignores <paramref name="signal"/> (SIG_IGN), as an inherited disposition can make it.</summary>
    public static bool IsIgnored(int signal)
    {
        // struct sigaction begins with the handler on Linux; 256 bytes hold the whole struct on every architecture.
        var action = new byte[256];
        return QueryAction(signal, 0, action) == 0 && BitConverter.ToInt64(action) == Ignore;
    }

    /// <summary>Puts an ignored <paramref name="signal"/> back to its default disposition, so that a handler registered next receives it.</summary>
    public static void UnignoreForRegistration(int signal)
    {
        if (IsIgnored(signal)) SetHandler(signal, Default);
    }
}

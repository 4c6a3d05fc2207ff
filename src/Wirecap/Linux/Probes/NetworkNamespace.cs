using System.Runtime.InteropServices;

namespace Wirecap.Linux.Probes;

/// <summary>
/// Network namespaces by inode number, the identity a probe compares (<c>dev-&gt;nd_net.net-&gt;ns.inum</c>):
/// a name under <c>/run/netns</c> (as <c>ip netns add</c> makes) or the calling thread's own.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static partial class NetworkNamespace
{
    /// <summary>Where <c>ip netns</c> keeps its named namespaces.</summary>
    public const string NamedDirectory = "/run/netns";

    /// <summary>The inode number of the namespace named <paramref name="name"/> under <c>/run/netns</c>.</summary>
    /// <exception cref="ProbeException">No such namespace.</exception>
    public static uint InodeOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/') || name is "." or "..") throw new ProbeException($"network namespace '{name}': a name under {NamedDirectory}, not a path");
        string path = Path.Combine(NamedDirectory, name);
        if (!File.Exists(path)) throw new ProbeException($"network namespace '{name}' does not exist: no {path} (ip netns list shows the names)");
        return InodeOfPath(path);
    }

    /// <summary>The inode number of the calling thread's network namespace.</summary>
    public static uint Current => InodeOfPath("/proc/thread-self/ns/net");

    /// <summary>
    /// Interface index → name in the namespace named <paramref name="name"/> under <c>/run/netns</c>, or in the
    /// calling thread's namespace when null (indexes are per namespace, so an skb's ifindex needs its own).
    /// </summary>
    /// <exception cref="ProbeException">No such namespace, or it cannot be entered.</exception>
    public static IReadOnlyDictionary<int, string> InterfaceNames(string? name = null)
    {
        if (name is null) return CaptureDevices.List().ToDictionary(d => d.Index, d => d.Name);
        InodeOf(name);
        IReadOnlyDictionary<int, string> names = new Dictionary<int, string>();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine(NamedDirectory, name));
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    throw new ProbeException($"setns(network namespace '{name}') failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
                }
                names = CaptureDevices.List().ToDictionary(d => d.Index, d => d.Name);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "wirecap netns " + name };
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return names;
    }

    private const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int type);

    internal static unsafe uint InodeOfPath(string path)
    {
        // struct stat on 64-bit Linux (x86-64 and the generic layout of arm64 alike): st_dev (8 bytes), then st_ino (8 bytes).
        byte* buffer = stackalloc byte[256];
        if (Stat(path, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new ProbeException($"stat({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        return (uint)*(ulong*)(buffer + 8);
    }

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);
}

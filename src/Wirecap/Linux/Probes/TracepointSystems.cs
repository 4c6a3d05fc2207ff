using System.Runtime.InteropServices;

namespace Wirecap.Linux.Probes;

/// <summary>
/// Which system (<c>net</c>, <c>skb</c>, <c>tcp</c>...) each tracepoint belongs to. BTF names tracepoints
/// but not their systems; tracefs lists them as <c>events/SYSTEM/NAME</c>. When tracefs is not mounted
/// (the default on many machines), and the process may mount, it is mounted for a moment in a private
/// mount namespace of one short-lived thread, so nothing changes for the rest of the system.
/// </summary>
internal static partial class TracepointSystems
{
    private static readonly string[] MountedEvents = ["/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events"];
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_systems = new(Discover);

    /// <summary>Tracepoint name → system; empty when tracefs can be neither found nor mounted.</summary>
    public static IReadOnlyDictionary<string, string> ByName => s_systems.Value;

    private static IReadOnlyDictionary<string, string> Discover()
    {
        foreach (var events in MountedEvents)
            if (Directory.Exists(events)) return Read(events);
        IReadOnlyDictionary<string, string> found = new Dictionary<string, string>();
        var thread = new Thread(() => found = ReadInPrivateMount()) { IsBackground = true, Name = "wirecap tracefs" };
        thread.Start();
        thread.Join();
        return found;
    }

    private static Dictionary<string, string> Read(string events)
    {
        var systems = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var systemDir in Directory.EnumerateDirectories(events))
                foreach (var eventDir in Directory.EnumerateDirectories(systemDir))
                    systems.TryAdd(Path.GetFileName(eventDir), Path.GetFileName(systemDir));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return systems;
    }

    private static Dictionary<string, string> ReadInPrivateMount()
    {
        const int CloneNewNs = 0x00020000;
        const ulong MsRec = 0x4000, MsPrivate = 1 << 18;
        const string Target = "/sys/kernel/tracing";
        if (!Directory.Exists(Target)) return [];
        // This thread alone gets a new mount namespace; making every mount in it private first keeps the
        // tracefs mount from propagating back to the namespace the rest of the system uses.
        if (Unshare(CloneNewNs) != 0) return [];
        if (Mount(null, "/", null, MsRec | MsPrivate, 0) != 0) return [];
        if (Mount("nodev", Target, "tracefs", 0, 0) != 0) return [];
        return Read(Target + "/events");
    }

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    private static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mount(string? source, string target, string? type, ulong flags, nint data);
}

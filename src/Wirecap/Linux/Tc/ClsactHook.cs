using System.Buffers.Binary;
using System.Globalization;
using Wirecap.Ebpf;
using Wirecap.Linux.Tc.Netlink;
using static Wirecap.Linux.Tc.Netlink.RouteSocket;

namespace Wirecap.Linux.Tc;

/// <summary>
/// TC before tcx: a <c>clsact</c> qdisc on the interface and our programs as direct-action <c>cls_bpf</c> filters
/// under it, set up with our own rtnetlink messages. Unlike a tcx link, a filter outlives the process that added it,
/// so each is named after its owner (<c>wirecap:PID:START:N:in</c>, with the process's start time so a reused pid is
/// not mistaken for the owner); opening a hook removes the filters of owners that are gone. Disposing removes our
/// filters, and the qdisc too when we added it (or found only orphans under it) and nothing else is left there.
/// </summary>
internal sealed class ClsactHook : IDisposable
{
    public const string NamePrefix = "wirecap:";

    private const ushort RtmNewQdisc = 36, RtmDelQdisc = 37, RtmNewFilter = 44, RtmDelFilter = 45, RtmGetFilter = 46;
    private const ushort TcaKind = 1, TcaOptions = 2;
    private const ushort TcaBpfFd = 6, TcaBpfName = 7, TcaBpfFlags = 8;
    private const uint TcaBpfFlagActDirect = 1;
    private const uint ClsactParent = 0xFFFF_FFF1;     // TC_H_CLSACT
    private const uint ClsactHandle = 0xFFFF_0000;     // TC_H_MAKE(TC_H_CLSACT, 0)
    private const uint IngressParent = 0xFFFF_FFF2;    // TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)
    private const uint EgressParent = 0xFFFF_FFF3;     // TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)
    private const uint AllProtocols = 0x0300;          // htons(ETH_P_ALL), priority 0: the kernel picks one
    private const int EEXIST = 17;

    private static int s_filters;

    private readonly RouteSocket _socket;
    private readonly int _ifindex;
    private readonly string _device;
    private readonly List<string> _names = [];
    private readonly bool _ownsQdisc;
    private bool _disposed;

    private ClsactHook(RouteSocket socket, int ifindex, string device, bool ownsQdisc, int orphansRemoved)
    {
        _socket = socket;
        _ifindex = ifindex;
        _device = device;
        _ownsQdisc = ownsQdisc;
        OrphansRemoved = orphansRemoved;
    }

    /// <summary>Filters of dead owners removed when this hook was opened.</summary>
    public int OrphansRemoved { get; }

    /// <summary>Adds the clsact qdisc (or finds it there) and removes orphaned filters of ours. The socket decides the
    /// network namespace; the hook owns it from here on.</summary>
    /// <exception cref="EbpfNotSupportedException">The kernel has no clsact qdisc.</exception>
    public static ClsactHook Open(RouteSocket socket, int ifindex, string device) => Open(socket, ifindex, device, QdiscKind);

    /// <summary>The qdisc kind we add.</summary>
    internal const string QdiscKind = "clsact";

    /// <summary><see cref="Open(RouteSocket, int, string)"/> asking for the qdisc kind <paramref name="kind"/>: a kind
    /// the kernel lacks gets the kernel's own refusal, which is how a kernel without clsact answers (tests use it).</summary>
    internal static ClsactHook Open(RouteSocket socket, int ifindex, string device, string kind)
    {
        var add = new NetlinkMessage(RtmNewQdisc, FlagRequest | FlagAck | FlagCreate | FlagExclusive, socket.NextSequence(), ifindex, ClsactHandle, ClsactParent, 0)
            .Add(TcaKind, kind);
        var (error, text) = socket.TryRequest(add);
        bool created = error == 0;
        if (error != 0 && -error != EEXIST)
        {
            if (TcErrors.IsMissingKind(-error))
                throw new EbpfNotSupportedException($"rtnetlink(RTM_NEWQDISC {kind})", -error,
                    $"rtnetlink(RTM_NEWQDISC {kind}) failed on '{device}': {text ?? $"this kernel has no {kind} qdisc"} (CONFIG_NET_SCH_INGRESS)");
            throw TcErrors.Netlink($"rtnetlink(RTM_NEWQDISC {kind}) on '{device}'", -error, text);
        }
        int orphans = 0;
        foreach (var filter in List(socket, ifindex, device))
        {
            if (!IsOrphan(filter.Name)) continue;
            Delete(socket, ifindex, device, filter);
            orphans++;
        }
        return new ClsactHook(socket, ifindex, device, created || orphans > 0, orphans);
    }

    /// <summary>Adds <paramref name="program"/> as a direct-action filter at ingress or egress.</summary>
    public void Attach(EbpfProgram program, bool egress)
    {
        var name = $"{NamePrefix}{Environment.ProcessId}:{ProcessStartTime(Environment.ProcessId)}:{Interlocked.Increment(ref s_filters)}:{(egress ? "out" : "in")}";
        var message = new NetlinkMessage(RtmNewFilter, FlagRequest | FlagAck | FlagCreate | FlagExclusive, _socket.NextSequence(), _ifindex, 0,
                egress ? EgressParent : IngressParent, AllProtocols)
            .Add(TcaKind, "bpf")
            .BeginNest(TcaOptions)
            .Add(TcaBpfFd, (uint)program.Handle.Descriptor)
            .Add(TcaBpfName, name)
            .Add(TcaBpfFlags, TcaBpfFlagActDirect)
            .EndNest();
        var (error, text) = _socket.TryRequest(message);
        GC.KeepAlive(program);
        if (error != 0)
        {
            if (TcErrors.IsMissingKind(-error))
                throw new EbpfNotSupportedException("rtnetlink(RTM_NEWTFILTER bpf)", -error,
                    $"rtnetlink(RTM_NEWTFILTER bpf) failed on '{_device}': {text ?? "this kernel has no cls_bpf filter"} (CONFIG_NET_CLS_BPF)");
            throw TcErrors.Netlink($"rtnetlink(RTM_NEWTFILTER bpf) on '{_device}'", -error, text);
        }
        _names.Add(name);
    }

    /// <summary>Removes our filters, then the qdisc if it is ours to remove and empty. Errors are swallowed: the
    /// interface may be gone already (which removed everything with it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            var filters = List(_socket, _ifindex, _device);
            foreach (var filter in filters)
                if (_names.Contains(filter.Name)) Delete(_socket, _ifindex, _device, filter);
            if (_ownsQdisc && filters.All(f => _names.Contains(f.Name)))
                _socket.TryRequest(new NetlinkMessage(RtmDelQdisc, FlagRequest | FlagAck, _socket.NextSequence(), _ifindex, ClsactHandle, ClsactParent, 0)
                    .Add(TcaKind, "clsact"));
        }
        catch (EbpfException)
        {
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>A cls_bpf filter on the interface (chain heads, which carry no handle, are left out).</summary>
    internal readonly record struct Filter(uint Parent, uint Handle, uint Info, string Name);

    /// <summary>The bpf filters at the interface's ingress and egress, with their names.</summary>
    internal static List<Filter> List(RouteSocket socket, int ifindex, string device)
    {
        var filters = new List<Filter>();
        foreach (var parent in new[] { IngressParent, EgressParent })
        {
            var dump = new NetlinkMessage(RtmGetFilter, FlagRequest | FlagDump, socket.NextSequence(), ifindex, 0, parent, 0);
            foreach (var reply in socket.Dump(dump, RtmNewFilter, $"rtnetlink(RTM_GETTFILTER) on '{device}'"))
            {
                if (reply.Length < NetlinkMessage.TcMessageLength) continue;
                uint handle = BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(8));
                uint info = BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(16));
                var attributes = new NetlinkAttributes(reply.AsSpan(NetlinkMessage.TcMessageLength));
                if (handle == 0 || attributes.String(TcaKind) != "bpf" || !attributes.TryGet(TcaOptions, out var options)) continue;
                filters.Add(new Filter(parent, handle, info, new NetlinkAttributes(options).String(TcaBpfName) ?? ""));
            }
        }
        return filters;
    }

    private static void Delete(RouteSocket socket, int ifindex, string device, Filter filter)
    {
        var message = new NetlinkMessage(RtmDelFilter, FlagRequest | FlagAck, socket.NextSequence(), ifindex, filter.Handle, filter.Parent, filter.Info)
            .Add(TcaKind, "bpf");
        var (error, text) = socket.TryRequest(message);
        if (error != 0) throw TcErrors.Netlink($"rtnetlink(RTM_DELTFILTER {filter.Name}) on '{device}'", -error, text);
    }

    /// <summary>A filter named by a Wirecap process that no longer runs (or whose pid now belongs to another process).</summary>
    internal static bool IsOrphan(string name)
    {
        if (!name.StartsWith(NamePrefix, StringComparison.Ordinal)) return false;
        var parts = name[NamePrefix.Length..].Split(':');
        if (parts.Length < 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int pid)) return false;
        return ProcessStartTime(pid) is not { } start || start.ToString(CultureInfo.InvariantCulture) != parts[1];
    }

    /// <summary>Field 22 of <c>/proc/PID/stat</c> (clock ticks after boot when the process started), or null when there is no such process.</summary>
    internal static long? ProcessStartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && long.TryParse(fields[19], CultureInfo.InvariantCulture, out long start) ? start : null;
    }
}

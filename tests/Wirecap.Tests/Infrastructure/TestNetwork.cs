using System.Runtime.InteropServices;

namespace Wirecap.Tests.Infrastructure;

/// <summary>
/// A throw-away network namespace holding a veth pair (<see cref="InnerA"/> and <see cref="InnerB"/>),
/// both up, with addresses 10.201.N.1/24 and 10.201.N.2/24 and IPv6 link-local disabled so no
/// stray traffic appears. Only addresses inside the namespace are used. Removed on dispose.
/// Code runs inside the namespace with <see cref="Run{T}"/> (a dedicated thread that has
/// called setns, so sockets created there belong to the namespace).
/// </summary>
public sealed partial class TestNetwork : IDisposable
{
    private static int _counter;

    public string Name { get; }
    public string InnerA { get; }
    public string InnerB { get; }
    public string AddressA { get; }
    public string AddressB { get; }

    public TestNetwork(bool addresses = true)
    {
        Privilege.RequireRoot("creates a network namespace and a veth pair");
        var id = $"{Environment.ProcessId % 10000}x{Interlocked.Increment(ref _counter)}";
        var subnet = 1 + (Environment.ProcessId + _counter) % 250;
        Name = $"capt{id}";
        InnerA = $"cva{id}";
        InnerB = $"cvb{id}";
        AddressA = $"10.201.{subnet}.1";
        AddressB = $"10.201.{subnet}.2";
        Ip($"netns add {Name}");
        try
        {
            Exec($"ip link add {InnerA} type veth peer name {InnerB}");
            Exec($"sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
            Exec($"sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
            Exec($"ip link set lo up");
            Exec($"ip link set {InnerA} up");
            Exec($"ip link set {InnerB} up");
            if (addresses)
            {
                Exec($"ip addr add {AddressA}/24 dev {InnerA}");
                Exec($"ip addr add {AddressB}/24 dev {InnerB}");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs a shell command inside the namespace; throws on a non-zero exit.</summary>
    public string Exec(string command) => Tool.RunOk("ip", $"netns exec {Name} sh -c \"{command.Replace("\"", "\\\"")}\"");

    /// <summary>Runs a shell command inside the namespace and returns its exit code and output.</summary>
    public (int ExitCode, string StdOut, string StdErr) TryExec(string command, int timeoutMs = 120_000) =>
        Tool.Run("ip", $"netns exec {Name} sh -c \"{command.Replace("\"", "\\\"")}\"", timeoutMs: timeoutMs);

    /// <summary>Creates a Linux bridge inside the namespace (so it goes with it), makes <paramref name="port"/> its
    /// only port and brings it up; returns the bridge's name. Unlike veth, a bridge device filters by MAC address:
    /// it passes a unicast frame for an unknown address up to itself only while it is promiscuous. Multicast snooping
    /// is off, so the bridge sends no IGMP reports of its own.</summary>
    public string AddBridge(string port)
    {
        var bridge = $"cbr{Name["capt".Length..]}";
        Exec($"ip link add {bridge} type bridge forward_delay 0 stp_state 0 mcast_snooping 0");
        Exec($"ip link set {port} master {bridge}");
        Exec($"ip link set {bridge} up");
        return bridge;
    }

    /// <summary>The MAC address of a device inside the namespace.</summary>
    public byte[] MacOf(string device) => Convert.FromHexString(Exec($"cat /sys/class/net/{device}/address").Trim().Replace(":", ""));

    /// <summary>How many holders keep a device inside the namespace promiscuous (the kernel's count; 0: not promiscuous).</summary>
    public int PromiscuityOf(string device) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(Exec($"ip -d link show {device}"), @"promiscuity (\d+)").Groups[1].Value);

    /// <summary>Interface index of a device inside the namespace.</summary>
    public int IndexOf(string device) => int.Parse(Exec($"cat /sys/class/net/{device}/ifindex").Trim());

    /// <summary>Runs <paramref name="body"/> on a new thread that has joined the namespace.</summary>
    public T Run<T>(Func<T> body) => NetnsThread.Run(Name, body);

    /// <summary>Runs <paramref name="body"/> inside the namespace.</summary>
    public void Run(Action body) => Run(() => { body(); return 0; });

    public void Dispose() => Tool.Run("ip", $"netns delete {Name}");

    private static void Ip(string args) => Tool.RunOk("ip", args);
}

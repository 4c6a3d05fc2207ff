using System.Net.NetworkInformation;

namespace Wirecap.Tests.Infrastructure;

/// <summary>
/// Two throw-away network namespaces joined by a veth pair: <see cref="DeviceA"/> (10.202.N.1) in
/// <see cref="NameA"/> and <see cref="DeviceB"/> (10.202.N.2) in <see cref="NameB"/>, IPv6 off so no
/// stray traffic appears. Only these addresses are used. Both namespaces go on dispose.
/// </summary>
public sealed class PairedNamespaces : IDisposable
{
    private static int _counter;

    public string NameA { get; }
    public string NameB { get; }
    public string DeviceA { get; }
    public string DeviceB { get; }
    public string AddressA { get; }
    public string AddressB { get; }

    public PairedNamespaces()
    {
        Privilege.RequireRoot("creates two network namespaces joined by a veth pair");
        var id = $"{Environment.ProcessId % 10000}y{Interlocked.Increment(ref _counter)}";
        var subnet = 1 + (Environment.ProcessId + _counter) % 250;
        NameA = $"cpa{id}";
        NameB = $"cpb{id}";
        DeviceA = $"cpva{id}";
        DeviceB = $"cpvb{id}";
        AddressA = $"10.202.{subnet}.1";
        AddressB = $"10.202.{subnet}.2";
        Tool.RunOk("ip", $"netns add {NameA}");
        try
        {
            Tool.RunOk("ip", $"netns add {NameB}");
            foreach (var ns in new[] { NameA, NameB })
            {
                Exec(ns, "sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
                Exec(ns, "sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
                Exec(ns, "ip link set lo up");
            }
            Exec(NameA, $"ip link add {DeviceA} type veth peer name {DeviceB} netns {NameB}");
            Exec(NameA, $"ip addr add {AddressA}/24 dev {DeviceA}");
            Exec(NameB, $"ip addr add {AddressB}/24 dev {DeviceB}");
            Exec(NameA, $"ip link set {DeviceA} up");
            Exec(NameB, $"ip link set {DeviceB} up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs a shell command inside namespace <paramref name="ns"/>; throws on a non-zero exit.</summary>
    public static string Exec(string ns, string command) =>
        Tool.RunOk("ip", $"netns exec {ns} sh -c \"{command.Replace("\"", "\\\"")}\"");

    /// <summary>Runs <paramref name="body"/> on a new thread that has joined namespace <paramref name="ns"/>.</summary>
    public static T Run<T>(string ns, Func<T> body) => NetnsThread.Run(ns, body);

    /// <summary>Pings B from A <paramref name="count"/> times (ICMP echo through a raw socket, as root); returns the replies received.</summary>
    public int PingBFromA(int count) => Run(NameA, () =>
    {
        using var ping = new Ping();
        int replies = 0;
        for (int i = 0; i < count; i++)
            if (ping.Send(AddressB, 2000).Status == IPStatus.Success) replies++;
        return replies;
    });

    /// <summary>Sends one UDP datagram from A to B's <paramref name="port"/>, from a socket with firewall mark
    /// <paramref name="mark"/> (SO_MARK; 0: none), which the kernel puts on the datagram's skb.</summary>
    public void SendUdpFromA(int port, byte[] payload, uint mark = 0) => Run(NameA, () =>
    {
        using var udp = new System.Net.Sockets.UdpClient();
        if (mark != 0) udp.Client.SetRawSocketOption(1 /* SOL_SOCKET */, 36 /* SO_MARK */, BitConverter.GetBytes(mark));
        udp.Send(payload, payload.Length, AddressB, port);
        return 0;
    });

    public void Dispose()
    {
        Tool.Run("ip", $"netns delete {NameA}");
        Tool.Run("ip", $"netns delete {NameB}");
    }
}

using System.Globalization;
using NUnit.Framework;

namespace Wirecap.Tests.Infrastructure;

/// <summary>Waits until some program (a child process, or a command running on another task) has
/// bound a local port, by reading /proc/net — for programs that give no sign of readiness.</summary>
public static class PortWaiter
{
    /// <summary>Waits for a UDP socket bound to <paramref name="port"/>, or a listening TCP socket
    /// (<paramref name="tcp"/>), on any IPv4 or IPv6 address.</summary>
    public static void WaitUntilBound(int port, bool tcp = false, Func<string?>? failedEarly = null)
    {
        string suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in Table(tcp ? "tcp" : "udp"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // TCP state 0A is LISTEN.
                if (fields.Length > 3 && fields[1].EndsWith(suffix, StringComparison.Ordinal) && (!tcp || fields[3] == "0A")) return;
            }
            if (failedEarly?.Invoke() is { } why) Assert.Fail(why);
            Thread.Sleep(20);
        }
        Assert.Fail($"nothing bound {(tcp ? "tcp" : "udp")} port {port} within 10 s");
    }

    /// <summary>A TCP port on loopback that nothing listened on a moment ago.</summary>
    public static int FreeTcpPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static IEnumerable<string> Table(string protocol) =>
        File.ReadLines($"/proc/net/{protocol}").Skip(1).Concat(File.Exists($"/proc/net/{protocol}6") ? File.ReadLines($"/proc/net/{protocol}6").Skip(1) : []);
}

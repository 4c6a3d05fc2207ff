using System.Net;
using Wirecap.Linux.Probes;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Linux.Probes;

/// <summary>Collecting probe events around some traffic, and reading the frames they carry.</summary>
internal static class ProbeTestSupport
{
    /// <summary>Probe tests need root for bpf(2) and the namespaces, and the kernel's BTF.</summary>
    public static void RequirePrivilege()
    {
        Privilege.RequireRoot("loads eBPF probe programs at kernel tracepoints");
        if (!File.Exists("/sys/kernel/btf/vmlinux"))
        {
            const string reason = "the kernel publishes no BTF (/sys/kernel/btf/vmlinux)";
            if (Privilege.Required) Assert.Fail(reason);
            Assert.Ignore(reason);
        }
    }

    /// <summary>Runs <paramref name="traffic"/> while <paramref name="capture"/> collects, then a little longer, and returns owned copies.</summary>
    public static List<ProbePacket> Collect(ProbeCapture capture, Action traffic, int settleMs = 300)
    {
        var packets = new List<ProbePacket>();
        using var stop = new CancellationTokenSource();
        var worker = new Thread(() => capture.Capture((in ProbeEvent e) =>
        {
            lock (packets) packets.Add(e.ToPacket());
        }, -1, stop.Token));
        worker.Start();
        try
        {
            traffic();
            Thread.Sleep(settleMs);
        }
        finally
        {
            stop.Cancel();
            worker.Join();
        }
        return packets;
    }

    public static bool IsIpv4(byte[] frame) => frame.Length >= 34 && frame[12] == 0x08 && frame[13] == 0x00;

    public static IPAddress Source(byte[] frame) => new(frame.AsSpan(26, 4));

    public static IPAddress Destination(byte[] frame) => new(frame.AsSpan(30, 4));

    /// <summary>The ICMP type of an IPv4 ICMP frame, or -1.</summary>
    public static int IcmpType(byte[] frame)
    {
        if (!IsIpv4(frame) || frame[23] != 1) return -1;
        int icmp = 14 + (frame[14] & 0xf) * 4;
        return frame.Length > icmp ? frame[icmp] : -1;
    }

    /// <summary>The UDP destination port of an IPv4 UDP frame, or -1.</summary>
    public static int UdpDestinationPort(byte[] frame)
    {
        if (!IsIpv4(frame) || frame[23] != 17) return -1;
        int udp = 14 + (frame[14] & 0xf) * 4;
        return frame.Length >= udp + 4 ? frame[udp + 2] << 8 | frame[udp + 3] : -1;
    }

    public static bool Between(byte[] frame, string from, string to) =>
        IsIpv4(frame) && Source(frame).ToString() == from && Destination(frame).ToString() == to;
}

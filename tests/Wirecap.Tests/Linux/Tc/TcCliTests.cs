using NUnit.Framework;
using Wirecap.Linux.Tc;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Tc.TcTestSupport;

namespace Wirecap.Tests.Linux.Tc;

/// <summary><c>wirecap -i IFACE --datapath tc</c> as a user runs it: tcpdump on the same interface and direction as
/// the oracle of what it writes, and what it leaves attached after it exits or is killed.</summary>
[NonParallelizable]
public class TcCliTests
{
    private static string Cli => LiveCliTests.Cli;

    [TestCase("in")]
    [TestCase("out")]
    [TestCase("inout")]
    public void TheSameTrafficGivesTheSamePacketsAsTcpdump(string direction)
    {
        using var net = new TestNetwork(addresses: false);
        var file = Path.Combine(Path.GetTempPath(), $"wirecap-tc-{Guid.NewGuid():N}.pcap");
        try
        {
            const string filter = "udp port 9999";
            using var tcpdump = new TcpdumpRecorder(net.Name, net.InnerB, $"-Q {direction} -s 100 {filter}");
            var (received, sent) = Traffic();
            int expected = (direction == "out" ? 0 : received.Count(Wanted)) + (direction == "in" ? 0 : sent.Count(Wanted));
            using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} --datapath tc -Q {direction} -s 100 -c {expected} -w {file} {filter}", "listening on");
            net.Run(() =>
            {
                using var intoB = new FrameInjector(net.InnerA);
                using var outOfB = new FrameInjector(net.InnerB);
                foreach (var frame in received) intoB.Send(frame);
                foreach (var frame in sent) outOfB.Send(frame);
            });
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
            var oracle = tcpdump.StopAndRead(expected);
            var ours = TcpdumpRecorder.ReadPcap(file);
            Assert.That(oracle, Has.Count.EqualTo(expected), "tcpdump saw the traffic: " + tcpdump.Stderr);
            FrameAssert.Same(oracle, ours, $"-Q {direction}: wirecap --datapath tc against tcpdump");
            Assert.That(cli.Stderr, Does.Contain($"listening on {net.InnerB}, link-type EN10MB (Ethernet), snapshot length 100 bytes"));
            Assert.That(cli.Stderr, Does.Contain($"{expected} packets captured").And.Contain("0 packets dropped by kernel"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase(TcAttachMode.Tcx)]
    [TestCase(TcAttachMode.Clsact)]
    public void NothingStaysAttachedAfterTheCommandExits(TcAttachMode mode)
    {
        using var net = new TestNetwork(addresses: false);
        using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} --datapath tc --tc-attach {Spell(mode)} -w /dev/null", "listening on");
        AssertAttached(net, mode, cli.Pid);
        cli.Signal(15);
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(10)), Is.Zero, cli.Stderr);
        Assert.That(TcxPrograms(net, net.InnerB), Is.Empty);
        Assert.That(ClsactFilters(net, net.InnerB), Does.Not.Contain("wirecap"));
        Assert.That(Qdiscs(net, net.InnerB), Does.Not.Contain("clsact"));
    }

    [Test]
    public void ATcxLinkGoesWithAKilledProcess()
    {
        using var net = new TestNetwork(addresses: false);
        using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} --datapath tc --tc-attach tcx -w /dev/null", "listening on");
        AssertAttached(net, TcAttachMode.Tcx, cli.Pid);
        cli.Signal(9);
        cli.WaitForExit(TimeSpan.FromSeconds(10));
        Assert.That(WaitForTcxDetached(net, net.InnerB), Is.Empty, "the kernel closed the links with the process's descriptors");
    }

    [Test]
    public void AClsactFilterLeftByAKilledProcessIsRemovedByTheNextOpen()
    {
        using var net = new TestNetwork(addresses: false);
        using (var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} --datapath tc --tc-attach clsact -w /dev/null", "listening on"))
        {
            AssertAttached(net, TcAttachMode.Clsact, cli.Pid);
            cli.Signal(9);
            cli.WaitForExit(TimeSpan.FromSeconds(10));
            Assert.That(ClsactFilters(net, net.InnerB), Does.Contain($"wirecap:{cli.Pid}:"), "cls_bpf filters outlive their process");
        }
        using (var capture = Open(net, new TcCaptureOptions { Interface = net.InnerB, Direction = Wirecap.PacketDirection.Inbound, Attach = TcAttachMode.Clsact }))
        {
            Assert.That(capture.OrphanFiltersRemoved, Is.EqualTo(2), "the killed process's ingress and egress filters");
            var filters = ClsactFilters(net, net.InnerB);
            Assert.That(filters, Does.Contain($"wirecap:{Environment.ProcessId}:").And.Not.Contain("out"), filters);
        }
        Assert.That(ClsactFilters(net, net.InnerB), Does.Not.Contain("wirecap"));
        Assert.That(Qdiscs(net, net.InnerB), Does.Not.Contain("clsact"), "a qdisc that held only our filters goes with them");
    }

    [Test]
    public void WithoutCapBpfTheCommandSaysWhatIsNeeded()
    {
        Privilege.RequireRoot("drops capabilities");
        Tool.Require("capsh");
        using var net = new TestNetwork(addresses: false);
        var (code, _, stderr) = net.TryExec($"capsh --drop=cap_bpf,cap_sys_admin,cap_perfmon -- -c 'dotnet {Cli} -i {net.InnerB} --datapath tc -c 1'");
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("bpf(BPF_MAP_CREATE) failed").And.Contain("needs CAP_BPF"));
    }

    [Test]
    public void WithoutTheBpfSystemCallTheCommandSaysTheKernelHasNone()
    {
        // native-shims/deny_bpf refuses every bpf(2) call with ENOSYS, as a kernel built without CONFIG_BPF_SYSCALL does.
        using var net = new TestNetwork(addresses: false);
        var (code, _, stderr) = net.TryExec($"{NativeShim.Path("deny_bpf")} 38 -- dotnet {Cli} -i {net.InnerB} --datapath tc -c 1");
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("bpf(BPF_MAP_CREATE) failed").And.Contain("this kernel has no bpf(2) system call"));
        Assert.That(stderr, Does.Not.Contain("   at "), "a message, not a stack trace");
    }

    [Test]
    public void WithoutTcxTheDefaultAttachFallsBackToClsact()
    {
        // BPF_LINK_CREATE (command 28) refused with EOPNOTSUPP, as a kernel without tcx links (before 6.6) refuses its
        // attach type: with the default --tc-attach, the capture hooks in through clsact and cls_bpf instead.
        using var net = new TestNetwork(addresses: false);
        string file = Path.Combine(Path.GetTempPath(), $"wirecap-tc-fallback-{Guid.NewGuid():N}.pcap");
        try
        {
            var frame = TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 1, 30);
            using var cli = new ReadyProcess("ip",
                $"netns exec {net.Name} {NativeShim.Path("deny_bpf")} 95 28 -- dotnet {Cli} -i {net.InnerB} --datapath tc -Q in -c 1 -w {file}", "listening on");
            Assert.That(TcxPrograms(net, net.InnerB), Is.Empty, "no tcx link could be made");
            Assert.That(ClsactFilters(net, net.InnerB), Does.Contain($"wirecap:{cli.Pid}:").And.Contain(":in "));
            net.Run(() =>
            {
                using var intoB = new FrameInjector(net.InnerA);
                intoB.Send(frame);
            });
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
            FrameAssert.Same([frame], TcpdumpRecorder.ReadPcap(file), "the frame, captured through clsact");
            Assert.That(ClsactFilters(net, net.InnerB), Does.Not.Contain("wirecap"));
            Assert.That(Qdiscs(net, net.InnerB), Does.Not.Contain("clsact"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertAttached(TestNetwork net, TcAttachMode mode, int pid)
    {
        if (mode == TcAttachMode.Tcx) Assert.That(TcxPrograms(net, net.InnerB), Has.Length.EqualTo(2));
        else Assert.That(ClsactFilters(net, net.InnerB), Does.Contain($"wirecap:{pid}:").And.Contain(":in ").And.Contain(":out "));
    }

    private static string Spell(TcAttachMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>A UDP frame to port 9999 (behind a VLAN tag too: the kernel's filter sees it without the tag).</summary>
    private static bool Wanted(byte[] frame)
    {
        int tag = frame[12] == 0x81 && frame[13] == 0x00 ? 4 : 0;
        return frame[23 + tag] == 17 && (frame[36 + tag] << 8 | frame[37 + tag]) == 9999;
    }

    /// <summary>Frames into and out of B: wanted (port 9999) and unwanted, small and large, and a tagged one received.</summary>
    private static (List<byte[]> Received, List<byte[]> Sent) Traffic()
    {
        var received = new List<byte[]>();
        var sent = new List<byte[]>();
        for (int i = 0; i < 4; i++)
        {
            received.Add(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 30 + 300 * i));
            received.Add(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 30, destinationPort: 7777));
            sent.Add(TestFrames.Udp(TestFrames.MacA, TestFrames.MacB, 100 + i, 1200 - 300 * i));
            sent.Add(TestFrames.Tcp(TestFrames.MacA, TestFrames.MacB, i, 50));
        }
        received.Add(Tagged(TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, 9, 150), tci: 0x0064));
        return (received, sent);
    }
}

using System.Text.RegularExpressions;
using NUnit.Framework;
using Wirecap.Ebpf.Btf;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Linux.Probes.ProbeTestSupport;

namespace Wirecap.Tests.Linux.Probes;

/// <summary><c>wirecap --probe ...</c> and <c>--list-probes</c> as a user runs them.</summary>
[NonParallelizable]
public class ProbeCliTests
{
    private static string Cli => LiveCliTests.Cli;

    [Test]
    public void ListProbesShowsTheSkbTracepointsOfBtfAndWhyKprobesAndFentryDoNotWorkHere()
    {
        RequirePrivilege();
        var output = Tool.RunOk("dotnet", $"{Cli} --list-probes");
        int expected = BtfTypes.Vmlinux.Tracepoints.Count(t => t.IndexOfPointerTo("sk_buff") >= 0);
        Assert.That(output, Does.StartWith($"{expected} tracepoints with a struct sk_buff * argument"));
        Assert.That(output, Does.Match(@"\n  tp:net:netif_receive_skb +netif_receive_skb\(struct sk_buff \*\)\n"), "tracepoint prototypes name no parameters");
        Assert.That(output, Does.Match(@"\n  tp:skb:kfree_skb +kfree_skb\(struct sk_buff \*, .*enum skb_drop_reason.*\)  \[drop reason\]\n"));
        var lines = output.Split('\n');
        Assert.That(lines.Count(l => l.StartsWith("  tp:", StringComparison.Ordinal)), Is.EqualTo(expected));
        if (!Directory.Exists("/sys/bus/event_source/devices/kprobe"))
            Assert.That(output, Does.Contain("kprobe:FUNCTION  not in this kernel (CONFIG_KPROBES is not set"));
        Assert.That(lines.Single(l => l.StartsWith("fentry:FUNCTION", StringComparison.Ordinal)), Does.Match("available|refused here: EPERM"));
    }

    [Test]
    public void PrintedLinesNameTheProbeAndTheInterfaceAsRetisPrintsThem()
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        using var cli = new ReadyProcess("dotnet", $"{Cli} --probe tp:net:netif_receive_skb --probe net:net_dev_start_xmit --netns {net.NameB} -c 4 -n icmp", "listening on");
        Assert.That(net.PingBFromA(2), Is.EqualTo(2));
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
        var lines = cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int ifindex = int.Parse(PairedNamespaces.Exec(net.NameB, $"cat /sys/class/net/{net.DeviceB}/ifindex").Trim());
        string a = Regex.Escape(net.AddressA), b = Regex.Escape(net.AddressB);
        Assert.That(lines.Count(l => Regex.IsMatch(l, $@"^\d\d:\d\d:\d\d\.\d+ \[tp\] net:netif_receive_skb if {ifindex} \({net.DeviceB}\) IP {a} > {b}: ICMP echo request")), Is.EqualTo(2), cli.Stdout);
        Assert.That(lines.Count(l => Regex.IsMatch(l, $@"^\d\d:\d\d:\d\d\.\d+ \[tp\] net:net_dev_start_xmit if {ifindex} \({net.DeviceB}\) IP {b} > {a}: ICMP echo reply")), Is.EqualTo(2), cli.Stdout);
        Assert.That(cli.Stderr, Does.Contain("listening on 2 probe(s): tp:net:netif_receive_skb (tp_btf), tp:net:net_dev_start_xmit (tp_btf)"));
        Assert.That(cli.Stderr, Does.Contain("4 packets captured"));
    }

    [Test]
    public void WhereBtfTypedProgramsCannotAttachTheProbeFallsBackToARawTracepoint()
    {
        // native-shims/deny_bpf refuses BPF_LINK_CREATE (command 28), which attaches tp_btf programs, as a kernel before
        // 5.5 has no such attachment; BPF_RAW_TRACEPOINT_OPEN still works, so the probe runs as raw_tp.
        RequirePrivilege();
        using var net = new PairedNamespaces();
        using var cli = new ReadyProcess(NativeShim.Path("deny_bpf"),
            $"95 28 -- dotnet {Cli} --probe tp:net:netif_receive_skb --netns {net.NameB} -c 2 -n icmp", "listening on");
        Assert.That(net.PingBFromA(2), Is.EqualTo(2));
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
        Assert.That(cli.Stderr, Does.Contain("listening on 1 probe(s): tp:net:netif_receive_skb (raw_tp)"));
        Assert.That(cli.Stdout.Split('\n').Count(l => l.Contains("[tp] net:netif_receive_skb") && l.Contains("ICMP echo request")), Is.EqualTo(2), cli.Stdout);
    }

    [Test]
    public void TrackPrintsEachPacketsWayThroughTheProbes()
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        using var cli = new ReadyProcess("dotnet",
            $"{Cli} --probe tp:net:net_dev_start_xmit --probe tp:net:netif_receive_skb --track -c 4 -n \"icmp[icmptype] == icmp-echo and dst host {net.AddressB}\"", "listening on");
        Assert.That(net.PingBFromA(2), Is.EqualTo(2));
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
        var lines = cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Where(l => l.StartsWith('#')).Select(l => Regex.IsMatch(l, @"^#[0-9a-f]+ \(2 sightings\)$")), Is.EqualTo(new[] { true, true }), cli.Stdout);
        var probes = lines.Where(l => l.StartsWith("  ")).Select(l => Regex.Match(l, @"\[tp\] (\S+)").Groups[1].Value).ToList();
        Assert.That(probes, Is.EqualTo(new[] { "net:net_dev_start_xmit", "net:netif_receive_skb", "net:net_dev_start_xmit", "net:netif_receive_skb" }),
            "each packet: sent by A, then received by B");
    }

    [Test]
    public void NcapOutputTakesTheProbesLikeAnyLiveSource()
    {
        RequirePrivilege();
        using var net = new PairedNamespaces();
        string output = Path.Combine(Path.GetTempPath(), $"wirecap-probe-{Environment.ProcessId}.ncap");
        try
        {
            // The expression is the NCAP engine's (matched after reassembly); the pings are not carried past it.
            using var cli = new ReadyProcess("dotnet", $"{Cli} --probe tp:net:netif_receive_skb --netns {net.NameB} -c 2 -w {output} -1 9 udp dst port 7", "listening on");
            net.PingBFromA(1);
            net.SendUdpFromA(7, [1, 2, 3]);
            net.SendUdpFromA(7, [4, 5]);
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
            Assert.That(cli.Stderr, Does.Contain("listening on tp:net:netif_receive_skb for NCAP messages").And.Contain("2 NCAP messages written"));
            using var file = File.OpenRead(output);
            var messages = Wirecap.Tests.Ncap.NcapTestData.ReadStream(file);
            Assert.That(messages.Select(m => (m.Source.ToString(), m.Destination.ToString(), (int)m.DestinationPort, Convert.ToHexString(m.Payload.Span), m.User1)),
                Is.EqualTo(new[] { (net.AddressA, net.AddressB, 7, "010203", 9u), (net.AddressA, net.AddressB, 7, "0405", 9u) }));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [TestCase(15)]
    [TestCase(9)]
    public void NothingStaysAttachedAfterExitOrSigkill(int signal)
    {
        RequirePrivilege();
        Tool.Require("bpftool");
        using var net = new PairedNamespaces();
        using var cli = new ReadyProcess("dotnet", $"{Cli} --probe tp:net:netif_receive_skb --probe tp:skb:kfree_skb --netns {net.NameB}", "listening on");
        int pid = cli.Pid;
        var programs = Owned("prog", pid);
        var links = Owned("link", pid);
        Assert.That(programs, Has.Count.EqualTo(2), "one program per probe");
        Assert.That(links, Has.Count.EqualTo(2), "one link per probe");

        cli.Signal(signal);
        int code = cli.WaitForExit(TimeSpan.FromSeconds(10));
        if (signal == 15) Assert.That(code, Is.Zero, "SIGTERM ends the capture cleanly: " + cli.Stderr);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (programs.Any(id => Exists("prog", id)) || links.Any(id => Exists("link", id)))) Thread.Sleep(100);
        Assert.That(programs.Where(id => Exists("prog", id)), Is.Empty, "programs gone with the process");
        Assert.That(links.Where(id => Exists("link", id)), Is.Empty, "links gone with the process");
    }

    [Test]
    public void AnFentryProbeFailsWithTheCauseWhenTheKernelRefusesIt()
    {
        RequirePrivilege();
        var (code, _, stderr) = Tool.Run("dotnet", $"{Cli} --probe fentry:ip_rcv -c 1");
        if (code == 0) Assert.Pass("fentry works on this kernel");
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("fentry:ip_rcv").And.Contain("EPERM"));
    }

    /// <summary>Ids of the BPF programs or links a process holds, from its descriptors' fdinfo (prog_id:, link_id:).</summary>
    private static List<uint> Owned(string what, int pid)
    {
        var ids = new List<uint>();
        foreach (var info in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
        {
            string text;
            try { text = File.ReadAllText(info); }
            catch (IOException) { continue; }
            var match = Regex.Match(text, $@"^{what}_id:\s*(\d+)$", RegexOptions.Multiline);
            if (match.Success) ids.Add(uint.Parse(match.Groups[1].Value));
        }
        return ids.Distinct().ToList();
    }

    private static bool Exists(string what, uint id) => Tool.Run("bpftool", $"{what} show id {id}").ExitCode == 0;
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Wirecap.Linux.Probes;

namespace Wirecap.Bench.Ebpf;

/// <summary>
/// <c>--probe-throughput SECONDS RING_KIB</c> (root): how many events a probe at <c>net:netif_receive_skb</c>
/// carries, and what each costs. A sender thread in namespace A floods UDP datagrams over a veth pair to
/// namespace B as fast as it can; the probe keeps B's skbs; a consumer thread drains the ring. Prints events
/// delivered and lost (ring full) per second, the consumer's CPU per event (getrusage of its thread), and the
/// probe program's own run time per run from the kernel's BPF statistics (kernel.bpf_stats_enabled, switched
/// on for the run and restored).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static partial class ProbeThroughputCommand
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length != 3 || args[0] != "--probe-throughput") return false;
        Run(int.Parse(args[1]), int.Parse(args[2]) * 1024);
        return true;
    }

    private static void Run(int seconds, int ringBytes)
    {
        string a = $"wcbenchA{Environment.ProcessId}", b = $"wcbenchB{Environment.ProcessId}";
        string statsBefore = File.ReadAllText("/proc/sys/kernel/bpf_stats_enabled").Trim();
        Sh($"ip netns add {a}; ip netns add {b}; ip -n {a} link add wcbva type veth peer name wcbvb netns {b}; " +
           $"ip -n {a} addr add 10.205.0.1/24 dev wcbva; ip -n {b} addr add 10.205.0.2/24 dev wcbvb; " +
           $"ip -n {a} link set wcbva up; ip -n {b} link set wcbvb up; ip -n {a} link set lo up; ip -n {b} link set lo up");
        try
        {
            File.WriteAllText("/proc/sys/kernel/bpf_stats_enabled", "1");
            using var capture = ProbeCapture.Open(new ProbeCaptureOptions { Probes = ["tp:net:netif_receive_skb"], Netns = b, RingSize = ringBytes, SnapLength = 128 });
            using var stop = new CancellationTokenSource();
            long delivered = 0, consumerCpuNs = 0;
            var consumer = new Thread(() =>
            {
                long cpu0 = ThreadCpuNs();
                delivered = capture.Capture((in ProbeEvent e) => { }, -1, stop.Token);
                consumerCpuNs = ThreadCpuNs() - cpu0;
            });
            long sent = 0;
            var sender = new Thread(() => sent = Flood(a, stop.Token));
            consumer.Start();
            var wall = Stopwatch.StartNew();
            sender.Start();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            stop.Cancel();
            sender.Join();
            consumer.Join();
            double elapsed = wall.Elapsed.TotalSeconds;
            var stats = capture.GetStatistics();
            var (runs, runNs) = ProgramStats();
            Console.WriteLine($"probe tp:net:netif_receive_skb ({capture.Probes[0].Attachment}), ring {ringBytes / 1024} KiB, snap 128, {seconds} s, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}:");
            Console.WriteLine($"  sent {sent / elapsed:F0} datagrams/s; delivered {delivered / elapsed:F0} events/s; lost (ring full) {stats.LostRingFull / elapsed:F0}/s ({stats.LostRingFull} in all)");
            Console.WriteLine($"  consumer CPU {(delivered == 0 ? 0 : consumerCpuNs / (double)delivered):F0} ns/event; probe program {(runs == 0 ? 0 : runNs / (double)runs):F0} ns/run over {runs} runs (every namespace's skbs)");
        }
        finally
        {
            File.WriteAllText("/proc/sys/kernel/bpf_stats_enabled", statsBefore);
            Sh($"ip netns delete {a}; ip netns delete {b}");
        }
    }

    private static long Flood(string ns, CancellationToken stop)
    {
        using (var handle = File.OpenHandle($"/run/netns/{ns}"))
            if (SetNs((int)handle.DangerousGetHandle(), 0x40000000) != 0) throw new InvalidOperationException("setns failed");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(System.Net.IPAddress.Parse("10.205.0.2"), 9);
        var payload = new byte[64];
        long sent = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                socket.Send(payload);
                sent++;
            }
            catch (SocketException) { } // ICMP port unreachable comes back as ECONNREFUSED on the next send
        }
        return sent;
    }

    /// <summary>The kernel's run count and time of this process's probe program (found through its descriptors' fdinfo).</summary>
    private static (long Runs, long Nanoseconds) ProgramStats()
    {
        foreach (var info in Directory.EnumerateFiles("/proc/self/fdinfo"))
        {
            string text;
            try { text = File.ReadAllText(info); }
            catch (IOException) { continue; }
            var id = System.Text.RegularExpressions.Regex.Match(text, @"^prog_id:\s*(\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
            if (!id.Success || text.Contains("link_id")) continue;
            var psi = new ProcessStartInfo("bpftool", $"-j prog show id {id.Groups[1].Value}") { RedirectStandardOutput = true };
            using var process = Process.Start(psi)!;
            using var json = JsonDocument.Parse(process.StandardOutput.ReadToEnd());
            var prog = json.RootElement;
            if (prog.TryGetProperty("name", out var name) && name.GetString() == "wirecap_probe0" && prog.TryGetProperty("run_cnt", out var runs))
                return (runs.GetInt64(), prog.GetProperty("run_time_ns").GetInt64());
        }
        return (0, 0);
    }

    private static unsafe long ThreadCpuNs()
    {
        long* usage = stackalloc long[18]; // struct rusage: ru_utime, ru_stime (timeval each), then the counters
        if (GetRusage(1 /* RUSAGE_THREAD */, usage) != 0) return 0;
        return (usage[0] * 1_000_000 + usage[1] + usage[2] * 1_000_000 + usage[3]) * 1000;
    }

    private static void Sh(string command)
    {
        using var process = Process.Start("sh", ["-c", command])!;
        process.WaitForExit();
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static unsafe partial int GetRusage(int who, long* usage);
}

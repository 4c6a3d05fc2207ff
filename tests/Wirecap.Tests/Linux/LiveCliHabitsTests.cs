using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Linux;

/// <summary>tcpdump's habits of the live command line: -D and -i N, the signals that end a capture, --send tcp from
/// -i, -G on the wall clock's seconds; each in a namespace of its own, tcpdump beside us where it is the oracle.</summary>
[NonParallelizable]
public class LiveCliHabitsTests
{
    private static string Cli => LiveCliTests.Cli;

    // libpcap's pseudo-devices, which we do not capture on (they sort after every interface that is up).
    private static bool IsPseudoDevice(string name) =>
        name is "bluetooth-monitor" or "nflog" or "nfqueue" or "dbus-system" or "dbus-session" || name.StartsWith("usbmon", StringComparison.Ordinal)
        || name.StartsWith("bluetooth", StringComparison.Ordinal);

    [Test]
    public void DashDListsNumbersAndFlagsTheInterfacesAsTcpdump()
    {
        Tool.Require("tcpdump");
        using var net = new TestNetwork(addresses: false);
        // One more pair, one side up and one down: "[Up, Disconnected]" and "[none, Disconnected]".
        net.Exec("ip link add hdd0 type veth peer name hdd1 && ip link set hdd0 up");
        var ours = net.Exec($"dotnet {Cli} -D").Trim().Split('\n');
        var theirs = net.Exec("tcpdump -D").Trim().Split('\n');
        TestContext.Out.WriteLine(string.Join("\n", theirs));
        var theirsWithoutPseudo = theirs.Select(l => l[(l.IndexOf('.') + 1)..]).Where(l => !IsPseudoDevice(l.Split(' ')[0])).ToList();
        Assert.That(ours.Select(l => l[(l.IndexOf('.') + 1)..]), Is.EqualTo(theirsWithoutPseudo), "the same interfaces, in the same order, with the same flags");
        // The numbers are tcpdump's for every interface before its first pseudo-device (every one that is up).
        int before = theirs.TakeWhile(l => !IsPseudoDevice(l[(l.IndexOf('.') + 1)..].Split(' ')[0])).Count();
        Assert.That(ours.Take(before), Is.EqualTo(theirs.Take(before)));
        Assert.That(ours, Has.Some.Contains("[Up, Running, Connected]").And.Some.Contains("[Up, Disconnected]").And.Some.Contains("[none, Disconnected]"));
    }

    [Test]
    public void DashIWithANumberTakesThatInterfaceOfTheList()
    {
        using var net = new TestNetwork(addresses: false);
        var list = net.Exec($"dotnet {Cli} -D").Trim().Split('\n');
        var line = list.Single(l => l.Contains($".{net.InnerB} ", StringComparison.Ordinal));
        var number = line[..line.IndexOf('.')];
        var (code, _, stderr) = Tool.Run("ip", $"netns exec {net.Name} dotnet {Cli} -i {number} -L");
        Assert.That((code, stderr), Is.EqualTo((0, $"Data link types for {net.InnerB} (use option -y to set):\n  EN10MB (Ethernet)\n")));
        var beyond = Tool.Run("ip", $"netns exec {net.Name} dotnet {Cli} -i 99 -c 1");
        Assert.That(beyond.ExitCode, Is.EqualTo(2));
        Assert.That(beyond.StdErr, Does.Contain($"Invalid adapter index 99: only {list.Length} interfaces found"));
    }

    [TestCase(2, "trap '' INT; ", TestName = "SIGINT ends a capture started with SIGINT ignored (a script's background job)")]
    [TestCase(2, "", TestName = "SIGINT ends a capture")]
    [TestCase(15, "trap '' INT; ", TestName = "SIGTERM ends a capture")]
    [TestCase(1, "", TestName = "SIGHUP ends a capture")]
    public void TheSignalEndsTheCaptureCleanlyWithItsCounts(int signal, string prelude)
    {
        using var net = new TestNetwork(addresses: false);
        // SIGHUP back to its default first: a suite started under nohup hands its ignored SIGHUP down to every child,
        // and the command line rightly leaves an ignored SIGHUP ignored (SighupIsLeftIgnoredUnderNohupAsTcpdumpDoes).
        using var cli = new ReadyProcess("ip", $"netns exec {net.Name} sh -c \"{prelude}exec env --default-signal=HUP dotnet {Cli} -i {net.InnerB}\"", "listening on");
        Inject(net, 2);
        Thread.Sleep(300);
        cli.Signal(signal);
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(10)), Is.Zero, cli.Stderr);
        Assert.That(cli.Stderr, Does.Contain("2 packets captured"));
    }

    [Test]
    public void SighupIsLeftIgnoredUnderNohupAsTcpdumpDoes()
    {
        using var net = new TestNetwork(addresses: false);
        using var cli = new ReadyProcess("ip", $"netns exec {net.Name} sh -c \"trap '' HUP; exec dotnet {Cli} -i {net.InnerB}\"", "listening on");
        cli.Signal(1);
        Thread.Sleep(1000);
        Assert.That(cli.HasExited, Is.False, "SIGHUP ignored, as nohup asks");
        cli.Signal(15);
        Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(10)), Is.Zero, cli.Stderr);
    }

    [Test]
    public void DashIWithSendTcpStreamsTheLiveCaptureAsPcapng()
    {
        using var net = new TestNetwork(addresses: false);
        var listener = net.Run(() =>
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return l;
        });
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var received = Task.Run(() =>
            {
                using var client = listener.AcceptTcpClient();
                using var buffer = new MemoryStream();
                client.GetStream().CopyTo(buffer);
                return buffer.ToArray();
            });
            using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} -c 3 --send tcp:127.0.0.1:{port}", "listening on");
            var frames = Inject(net, 3);
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
            Assert.That(cli.Stderr, Does.Contain($"3 packets (").And.Contain($"sent to tcp:127.0.0.1:{port}"));
            Assert.That(received.Wait(TimeSpan.FromSeconds(10)), Is.True);
            using var reader = CaptureReader.Open(new MemoryStream(received.Result));
            var got = new List<byte[]>();
            while (reader.Read()) got.Add(reader.Current.Data.ToArray());
            Assert.That(got, Is.EqualTo(frames));
            Assert.That(cli.Stdout, Is.Empty, "nothing printed: the capture went to the socket");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    public void DashIWithSendTcpOverTlsReachesACollectorThatRequiresAClientCertificate()
    {
        using var net = new TestNetwork(addresses: false);
        var authority = new TestCertificates("live");
        string directory = Path.Combine(Path.GetTempPath(), $"capture-live-tls-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var collector = net.Run(() =>
        {
            // Made and started in the namespace, so its socket listens on the namespace's loopback.
            var c = new Wirecap.Sinks.TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), Path.Combine(directory, "in"),
                new Wirecap.Sinks.TcpCaptureCollectorOptions { Tls = authority.Tls("collector", server: true) });
            c.Start();
            return c;
        });
        try
        {
            var done = new TaskCompletionSource<Wirecap.Sinks.CollectedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
            collector.StreamCompleted += s => done.TrySetResult(s);
            int port = collector.LocalEndpoint.Port;
            string tls = string.Join(' ', authority.WritePem(directory, "sender", server: false));
            using var cli = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} -c 3 --send tcp:127.0.0.1:{port} {tls}", "listening on");
            var frames = Inject(net, 3);
            Assert.That(cli.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, cli.Stderr);
            Assert.That(cli.Stderr, Does.Contain($"3 packets (").And.Contain($"sent to tcp:127.0.0.1:{port} over TLS"));
            var stream = done.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            Assert.That(stream.Error, Is.Null);
            using var reader = CaptureReader.Open(stream.Path);
            var got = new List<byte[]>();
            while (reader.Read()) got.Add(reader.Current.Data.ToArray());
            Assert.That(got, Is.EqualTo(frames));
        }
        finally
        {
            collector.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void DashGRotatesFileForFileAsTcpdumpOnTheSameTraffic()
    {
        Tool.Require("tcpdump");
        using var net = new TestNetwork(addresses: false);
        var dir = Path.Combine(Path.GetTempPath(), $"capture-rotate-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            using var ours = new ReadyProcess("ip", $"netns exec {net.Name} dotnet {Cli} -i {net.InnerB} -Q in --immediate-mode -G 2 -w {dir}/ours-%H%M%S.pcap", "listening on");
            using var theirs = new ReadyProcess("ip", $"netns exec {net.Name} tcpdump -Z root -i {net.InnerB} -Q in --immediate-mode -G 2 -w {dir}/theirs-%H%M%S.pcap", "listening on");
            // tcpdump rotates at the first packet whose whole-second clock is -G seconds past the whole second its file
            // opened at, and the new file opens at that packet's second; so does ours. The first packet comes 2.5 s or more
            // after both started (whichever second each started in), so both rotate at its second; the rest follow one a
            // second, each half a second from a whole second, so a delay under load does not move one into another file.
            const int packets = 8;
            var now = DateTime.UtcNow;
            var first = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(3).AddMilliseconds(500);
            for (int i = 0; i < packets; i++)
            {
                var wait = first.AddSeconds(i) - DateTime.UtcNow;
                if (wait > TimeSpan.Zero) Thread.Sleep(wait);
                Inject(net, 1, i);
            }
            // Past tcpdump's one-second ring timeout, so the last packet has reached it too.
            Thread.Sleep(1500);
            ours.Signal(2);
            theirs.Signal(2);
            Assert.That(ours.WaitForExit(TimeSpan.FromSeconds(10)), Is.Zero, ours.Stderr);
            Assert.That(theirs.WaitForExit(TimeSpan.FromSeconds(10)), Is.Zero, theirs.Stderr);
            // The files that hold packets, by name and count; the first, empty ones are named after each one's start.
            Dictionary<string, int> Files(string prefix) => Directory.GetFiles(dir, prefix + "-*.pcap")
                .Select(f => (Name: Path.GetFileName(f)[(prefix.Length + 1)..], Count: PeerCount(f))).Where(f => f.Count > 0)
                .ToDictionary(f => f.Name, f => f.Count);
            var mine = Files("ours");
            var tcpdump = Files("theirs");
            TestContext.Out.WriteLine($"tcpdump: {string.Join(", ", tcpdump)}; ours: {string.Join(", ", mine)}");
            Assert.That(mine, Is.EqualTo(tcpdump));
            Assert.That(mine.Values.Sum(), Is.EqualTo(packets));
            Assert.That(mine.Values, Is.All.EqualTo(2), "two packets in each 2-second file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int PeerCount(string file)
    {
        using var reader = CaptureReader.Open(file);
        int count = 0;
        while (reader.Read()) count++;
        return count;
    }

    private static List<byte[]> Inject(TestNetwork net, int count, int first = 0)
    {
        var frames = Enumerable.Range(first, count).Select(i => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, i, 20)).ToList();
        net.Run(() =>
        {
            using var injector = new FrameInjector(net.InnerA);
            foreach (var frame in frames) injector.Send(frame);
            return 0;
        });
        return frames;
    }
}

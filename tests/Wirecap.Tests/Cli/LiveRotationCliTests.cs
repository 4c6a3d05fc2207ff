using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Wirecap.Tests.Infrastructure;
using Wirecap.Tests.Linux;
using NUnit.Framework;

namespace Wirecap.Tests.Cli;

/// <summary>
/// -C/-G/-W/-U on live capture (-i): frames injected into a test namespace are captured by our command and,
/// side by side, by tcpdump with the same options; the rotated files must carry the same names and the same
/// number of packets per file, every frame once and in order, and each file must satisfy capinfos.
/// </summary>
[TestFixture, NonParallelizable]
public sealed partial class LiveRotationCliTests : TempDirectoryFixture
{
    private const int FrameCount = 3000, PayloadLength = 1000 - 42;

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(Path.Combine(TempDir, "ours"));
        Directory.CreateDirectory(Path.Combine(TempDir, "tcpdump"));
    }

    [Test]
    public void SizeRotationAndRingMatchTcpdumpFileForFile()
    {
        Tool.Require("tcpdump");
        using var net = new TestNetwork(addresses: false);
        string Out(string who, string name) => Path.Combine(TempDir, who, name);
        // -Z root: tcpdump would otherwise drop to its own user and be refused the rotated files in our directory.
        var capturers = new[]
        {
            Ours(net, $"-c {FrameCount} -w {Out("ours", "split.pcap")} -C 1"),
            Ours(net, $"-c {FrameCount} -w {Out("ours", "ring.pcap")} -C 1 -W 2"),
            Tcpdump(net, $"-c {FrameCount} -w {Out("tcpdump", "split.pcap")} -C 1"),
            Tcpdump(net, $"-c {FrameCount} -w {Out("tcpdump", "ring.pcap")} -C 1 -W 2"),
        };
        try
        {
            net.Run(() =>
            {
                using var injector = new FrameInjector(net.InnerA);
                for (var i = 0; i < FrameCount; i++) injector.Send(Frame(i));
            });
            foreach (var process in capturers) Assert.That(process.WaitForExit(TimeSpan.FromSeconds(60)), Is.Zero, process.Stderr);
        }
        finally
        {
            foreach (var process in capturers) process.Dispose();
        }

        var split = Files("ours", "split.pcap");
        Assert.That(split.Select(Path.GetFileName), Is.EqualTo(new[] { "split.pcap", "split.pcap1", "split.pcap2", "split.pcap3" }));
        Assert.That(split.Select(Path.GetFileName), Is.EqualTo(Files("tcpdump", "split.pcap").Select(Path.GetFileName)), "tcpdump's names");
        Assert.That(split.Select(Sequences).SelectMany(s => s), Is.EqualTo(Enumerable.Range(0, FrameCount)), "every frame once, in order");
        Assert.That(split.Select(f => Sequences(f).Count), Is.EqualTo(Files("tcpdump", "split.pcap").Select(f => Sequences(f).Count)), "tcpdump's packets per file");

        var ring = Files("ours", "ring.pcap");
        Assert.That(ring.Select(Path.GetFileName), Is.EqualTo(new[] { "ring.pcap0", "ring.pcap1" }));
        Assert.That(ring.Select(Path.GetFileName), Is.EqualTo(Files("tcpdump", "ring.pcap").Select(Path.GetFileName)), "tcpdump's names");
        Assert.That(ring.Select(Sequences), Is.EqualTo(Files("tcpdump", "ring.pcap").Select(Sequences)), "the ring keeps what tcpdump's keeps");
        Assert.That(ring.SelectMany(Sequences).Order(), Is.EqualTo(Enumerable.Range(FrameCount - ring.Sum(f => Sequences(f).Count), ring.Sum(f => Sequences(f).Count))),
            "the ring holds the newest frames");

        foreach (var process in capturers.Take(2))
            Assert.That(process.Stderr, Does.Contain($"{FrameCount} packets captured").And.Contain($"{FrameCount} packets received by filter").And.Contain("0 packets dropped by kernel"));
        CapinfosAccepts(split.Concat(ring));
    }

    [Test]
    public void TimeRotationStopsAfterTheFileCountLikeTcpdump()
    {
        Tool.Require("tcpdump");
        using var net = new TestNetwork(addresses: false);
        var ours = Ours(net, $"-w {Path.Combine(TempDir, "ours", "t-%s.pcap")} -G 1 -W 3");
        var theirs = Tcpdump(net, $"-w {Path.Combine(TempDir, "tcpdump", "t-%s.pcap")} -G 1 -W 3");
        int sent = 0;
        try
        {
            // A frame every 20 ms until both have finished their third file (tcpdump checks the clock per packet, as we do).
            net.Run(() =>
            {
                using var injector = new FrameInjector(net.InnerA);
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (DateTime.UtcNow < deadline && !(ours.HasExited && theirs.HasExited))
                {
                    injector.Send(Frame(sent++));
                    Thread.Sleep(20);
                }
            });
            Assert.That(ours.WaitForExit(TimeSpan.FromSeconds(5)), Is.Zero, ours.Stderr);
            Assert.That(theirs.WaitForExit(TimeSpan.FromSeconds(5)), Is.Zero, theirs.Stderr);
        }
        finally
        {
            ours.Dispose();
            theirs.Dispose();
        }

        var files = Files("ours", "t-");
        Assert.That(files, Has.Count.EqualTo(3).And.Count.EqualTo(Files("tcpdump", "t-").Count), "three files, as tcpdump");
        var seconds = files.Select(f => long.Parse(Regex.Match(Path.GetFileName(f), @"^t-(\d+)\.pcap$").Groups[1].Value)).ToList();
        Assert.That(seconds, Is.Ordered.Ascending.And.Unique);
        var sequences = files.SelectMany(Sequences).ToList();
        Assert.That(sequences, Is.EqualTo(Enumerable.Range(sequences[0], sequences.Count)), "consecutive frames: none lost or written twice");
        Assert.That(ours.Stderr, Does.Contain($"\n{sequences.Count} packets captured"));
        CapinfosAccepts(files);
    }

    [Test]
    public void PacketBufferedLiveOutputIsReadableBeforeTheCaptureEnds()
    {
        Tool.Require("tcpdump");
        using var net = new TestNetwork(addresses: false);
        string file = Path.Combine(TempDir, "ours", "u.pcap");
        using var ours = Ours(net, $"-w {file} -U");
        net.Run(() =>
        {
            using var injector = new FrameInjector(net.InnerA);
            for (var i = 0; i < 5; i++) injector.Send(Frame(i));
        });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && TcpdumpRecorder.ReadPcap(file).Count < 5) Thread.Sleep(20);
        Assert.That(ours.HasExited, Is.False, "still capturing");
        // tcpdump reads the five packets from the file while our capture is still running.
        var read = Tool.RunOk("tcpdump", $"-n -r {file}");
        Assert.That(read.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(5));
        ours.Signal(15);
        Assert.That(ours.WaitForExit(TimeSpan.FromSeconds(5)), Is.Zero, ours.Stderr);
        Assert.That(ours.Stderr, Does.Contain("5 packets captured"));
        Assert.That(Sequences(file), Is.EqualTo(Enumerable.Range(0, 5)));
    }

    [Test]
    public void PacketBufferedStandardOutputCarriesEachPacketAtOnce()
    {
        using var net = new TestNetwork(addresses: false);
        var psi = new System.Diagnostics.ProcessStartInfo("ip", $"netns exec {net.Name} dotnet {LiveCliTests.Cli} -i {net.InnerB} -Q in -w - -U")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var received = new MemoryStream();
        var copying = process.StandardOutput.BaseStream.CopyToAsync(new LockedStream(received));
        var errors = new System.Text.StringBuilder();
        var listening = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors) errors.AppendLine(e.Data);
            if (e.Data?.Contains("listening on") == true) listening.Set();
        };
        process.BeginErrorReadLine();
        try
        {
            Assert.That(listening.Wait(TimeSpan.FromSeconds(20)), Is.True, "the capture did not start");
            var deadline = DateTime.UtcNow.AddSeconds(10);
            net.Run(() =>
            {
                using var injector = new FrameInjector(net.InnerA);
                for (var i = 0; i < 3; i++) injector.Send(Frame(i));
            });
            int expected = 24 + 3 * (16 + Frame(0).Length);
            while (DateTime.UtcNow < deadline && LockedStream.SizeOf(received) < expected) Thread.Sleep(20);
            Assert.That(process.HasExited, Is.False, "still capturing");
            Assert.That(LockedStream.SizeOf(received), Is.EqualTo(expected), "three packets on the pipe before the capture ends");
        }
        finally
        {
            Kill(process.Id, 15);
            process.WaitForExit(10_000);
        }
        copying.Wait(5_000);
        lock (errors) Assert.That(errors.ToString(), Does.Contain("3 packets captured"));
        string file = Path.Combine(TempDir, "ours", "stdout.pcap");
        File.WriteAllBytes(file, received.ToArray());
        Assert.That(Sequences(file), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(File.Exists(Path.Combine(Environment.CurrentDirectory, "-")), Is.False, "no file named '-'");
    }

    [Test]
    public void PacketBufferedFileInputToStandardOutputOrPrinted()
    {
        var plain = CliRunner.Run(["-r", Repository.SamplePath, "-w", "-"]);
        var buffered = CliRunner.Run(["-r", Repository.SamplePath, "-w", "-", "-U"]);
        Assert.That(buffered.ExitCode, Is.Zero, buffered.StdErr);
        Assert.That(buffered.StdOutBytes, Is.EqualTo(plain.StdOutBytes));
        Assert.That(File.Exists(Path.Combine(Environment.CurrentDirectory, "-")), Is.False, "no file named '-'");
        var printed = CliRunner.Run(["-r", Repository.SamplePath, "-U"]);
        Assert.That(printed.ExitCode, Is.Zero, printed.StdErr);
        Assert.That(printed.StdOut, Is.EqualTo(CliRunner.Run(["-r", Repository.SamplePath]).StdOut));
    }

    [Test]
    public void LiveCaptureWritesNcapForAnNcapFileName()
    {
        using var net = new TestNetwork(addresses: false);
        string file = Path.Combine(TempDir, "ours", "live.ncap");
        using var ours = Ours(net, $"-c 3 -w {file}");
        net.Run(() =>
        {
            using var injector = new FrameInjector(net.InnerA);
            for (var i = 0; i < 3; i++) injector.Send(Frame(i));
        });
        Assert.That(ours.WaitForExit(TimeSpan.FromSeconds(20)), Is.Zero, ours.Stderr);
        using var reader = Wirecap.Formats.Ncap.NcapReader.Open(file);
        var sequences = new List<int>();
        while (reader.Read()) sequences.Add(BinaryPrimitives.ReadInt32BigEndian(reader.Current.Payload));
        Assert.That(sequences, Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void RotationOptionsAreCheckedBeforeTheInterfaceIsOpened()
    {
        Assert.That(CliRunner.Run(["-i", "lo", "-C", "1"]).StdErr, Does.Contain("give -w FILE"));
        Assert.That(CliRunner.Run(["-i", "lo", "-w", "-", "-C", "1"]).StdErr, Does.Contain("-C/-G/-W need -w FILE, not standard output"));
        Assert.That(CliRunner.Run(["-i", "lo", "-w", Path.Combine(TempDir, "x.pcap"), "-W", "2"]).StdErr, Does.Contain("-W needs -C or -G"));
        Assert.That(CliRunner.Run(["-i", "lo", "-w", Path.Combine(TempDir, "x.ncap"), "-C", "1", "-1", "1"]).StdErr, Does.Contain("-1/-2 cannot be combined with -C/-G/-W"));
        Assert.That(Directory.GetFiles(TempDir, "*", SearchOption.AllDirectories), Is.Empty);
    }

    /// <summary>A stream the copying task writes while the test reads its length.</summary>
    private sealed class LockedStream(MemoryStream inner) : Stream
    {
        public static long SizeOf(MemoryStream stream) { lock (stream) return stream.Length; }
        public override void Write(byte[] buffer, int offset, int count) { lock (inner) inner.Write(buffer, offset, count); }
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    private static ReadyProcess Ours(TestNetwork net, string arguments) =>
        new("ip", $"netns exec {net.Name} dotnet {LiveCliTests.Cli} -i {net.InnerB} -Q in {arguments}", "listening on");

    private static ReadyProcess Tcpdump(TestNetwork net, string arguments) =>
        new("ip", $"netns exec {net.Name} tcpdump -i {net.InnerB} -Q in -B 32768 -Z root {arguments}", "listening on");

    private static byte[] Frame(int sequence) => TestFrames.Udp(TestFrames.MacB, TestFrames.MacA, sequence, PayloadLength);

    /// <summary>The files whose names start with <paramref name="prefix"/>, in name order.</summary>
    private List<string> Files(string who, string prefix) =>
        Directory.GetFiles(Path.Combine(TempDir, who), prefix + "*").Order(StringComparer.Ordinal).ToList();

    /// <summary>The sequence numbers the injected frames carry (first four payload bytes), in file order.</summary>
    private static List<int> Sequences(string file) =>
        TcpdumpRecorder.ReadPcap(file).Select(f => BinaryPrimitives.ReadInt32BigEndian(f.AsSpan(42))).ToList();

    private static void CapinfosAccepts(IEnumerable<string> files)
    {
        if (!Tool.Exists("capinfos")) return;
        foreach (var file in files) Tool.RunOk("capinfos", file);
    }
}

using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using Wirecap.Tests.Cli;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Ncap;

/// <summary>
/// One frame → NCAP pipeline: over every capture of the corpora, the library's NCAP writer, the engine and the
/// command line (plain <c>-w x.ncap</c> and with <c>-1/-2</c>) produce the same bytes.
/// </summary>
public class NcapPipelineTests : TempDirectoryFixture
{
    private const string TcpdumpTests = "/work/shared/tcpdump-tests";

    /// <summary>The shipped captures (libpcap's samples and the project's sample), and tcpdump's test captures where
    /// present; those malformed part-way are left out (each path stops at the error in its own way).</summary>
    public static IEnumerable<TestCaseData> Corpus()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "libpcap-pcap"))
            .Append(Repository.SamplePath);
        if (Directory.Exists(TcpdumpTests)) files = files.Concat(Directory.GetFiles(TcpdumpTests));
        return files.Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .Where(ReadsCleanly)
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(f).SetArgDisplayNames(Path.GetFileName(f)));
    }

    [Test]
    public void TheCorpusIsThere() =>
        Assert.That(Corpus().Count(), Is.GreaterThan(40), "the shipped captures are found: a corpus test with no cases would prove nothing");

    [TestCaseSource(nameof(Corpus))]
    public void WriterEngineAndCommandLineWriteTheSameBytes(string capture)
    {
        byte[] library = ThroughTheLibrary(capture, NcapConversionOptions.Ncaptool);
        Assert.That(ThroughTheEngine(capture, NcapConversionOptions.Ncaptool), Is.EqualTo(library), "engine");

        string plain = Path.Combine(TempDir, "plain.ncap"), stamped = Path.Combine(TempDir, "stamped.ncap");
        var run = CliRunner.Run(["-r", capture, "-w", plain]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(File.ReadAllBytes(plain), Is.EqualTo(library), "wirecap -w x.ncap");
        run = CliRunner.Run(["-r", capture, "-w", stamped, "-1", "0", "-2", "0"]);
        Assert.That(run.ExitCode, Is.Zero, run.StdErr);
        Assert.That(File.ReadAllBytes(stamped), Is.EqualTo(library), "wirecap -1 0 -2 0 (user fields set to the 0 capture gives them)");

        // Beyond ncaptool's scope (TCP with stream offsets, ICMPv6), writer and engine still agree.
        Assert.That(ThroughTheEngine(capture, NcapConversionOptions.Default), Is.EqualTo(ThroughTheLibrary(capture, NcapConversionOptions.Default)),
            "engine and writer with TCP and ICMPv6");
    }

    /// <summary>Parsed once, encoded once: the handler gets the converter's view of each frame's message (a view
    /// decoded from bytes carries them, see <see cref="NcapRecord.Encoded"/>), for a file by path (read by the collecting
    /// thread) and a stream (read by a source thread, its frames queued) alike; the engine decodes nothing it converted,
    /// only messages that arrive encoded (an NCAP stream), once each.</summary>
    [Test]
    public void TheEngineHandsOverTheConvertersViewAndDecodesNoConvertedMessage()
    {
        static int Messages(string capture) => NcapTestData.ReadStream(new MemoryStream(ThroughTheLibrary(capture, NcapConversionOptions.Default))).Count();
        string capture = Corpus().Select(c => (string)c.Arguments[0]!).MaxBy(Messages)!;
        using (var engine = new NcapEngine(new NcapEngineOptions { Conversion = NcapConversionOptions.Default }))
        {
            engine.AddCaptureFile(capture, new NcapSourceOptions { User1 = NcapUserStamp.Parse("7") });
            int fromBytes = 0;
            long delivered = engine.Collect((in NcapRecord m, NcapSource _) => fromBytes += m.Encoded.IsEmpty ? 0 : 1);
            Assert.That(delivered, Is.EqualTo(Messages(capture)).And.GreaterThan(10), capture);
            Assert.That(fromBytes, Is.Zero, "a message converted from a frame reached the handler decoded from bytes");
            Assert.That(engine.MessagesDecoded, Is.Zero, "the engine decoded converted messages");
        }

        // Frames from a stream cross the queue as frames: the same holds.
        using (var engine = new NcapEngine(new NcapEngineOptions { Conversion = NcapConversionOptions.Default }))
        {
            engine.AddCaptureFile(File.OpenRead(capture), "stream");
            int fromBytes = 0;
            long delivered = engine.Collect((in NcapRecord m, NcapSource _) => fromBytes += m.Encoded.IsEmpty ? 0 : 1);
            Assert.That(delivered, Is.EqualTo(Messages(capture)), capture);
            Assert.That((fromBytes, engine.MessagesDecoded), Is.EqualTo((0, 0L)), "a stream's frames were decoded after crossing the queue");
        }

        byte[] ncap = ThroughTheLibrary(capture, NcapConversionOptions.Default);
        using (var engine = new NcapEngine())
        {
            engine.AddCaptureFile(new MemoryStream(ncap), "in.ncap");
            int fromBytes = 0;
            long delivered = engine.Collect((in NcapRecord m, NcapSource _) => fromBytes += m.Encoded.IsEmpty ? 0 : 1);
            Assert.That(engine.MessagesDecoded, Is.EqualTo(delivered).And.GreaterThan(10), "an NCAP stream's messages are decoded once each after the queue");
            Assert.That(fromBytes, Is.EqualTo(delivered), "and handed over with their bytes, which Write copies");
        }
    }

    [Test]
    public void TheCorpusGivesMessagesOfEveryTransport()
    {
        var transports = new HashSet<NcapTransport>();
        long messages = 0;
        foreach (var capture in Corpus().Select(c => (string)c.Arguments[0]!))
            foreach (var message in NcapTestData.ReadStream(new MemoryStream(ThroughTheLibrary(capture, NcapConversionOptions.Default))))
            {
                transports.Add(message.Transport);
                messages++;
            }
        Assert.That(transports, Is.EquivalentTo(Enum.GetValues<NcapTransport>()), "the comparison covers UDP, TCP and ICMP messages");
        Assert.That(messages, Is.GreaterThan(100));
    }

    [Test]
    public void TheEngineTakesNcapGivenAsACaptureFileMessageByMessage()
    {
        var stamped = new Wirecap.Formats.Ncap.NcapMessage
        {
            Seconds = 1_700_000_000, User1 = 0xdeadbeef, User2 = 42,
            Source = System.Net.IPAddress.Parse("10.0.0.1"), Destination = System.Net.IPAddress.Parse("10.0.0.2"),
            Transport = NcapTransport.Udp, SourcePort = 1, DestinationPort = 53, Payload = "query"u8.ToArray(),
        };
        byte[] file = NcapTestData.WriteStream([stamped, stamped]);
        using var engine = new NcapEngine();
        // A pipe, not a seekable file: the engine detects the format from the bytes it reads.
        var source = engine.AddCaptureFile(new Wirecap.Tests.Formats.TrickleStream(file), "in.ncap");
        var seen = new List<Wirecap.Formats.Ncap.NcapMessage>();
        var output = new MemoryStream();
        NcapEngine.WriteHeader(output);
        engine.Collect((in NcapRecord m, NcapSource _) =>
        {
            seen.Add(m.ToMessage());
            engine.Write(m, output);
        });
        Assert.That(source.Kind, Is.EqualTo(NcapSourceKind.NcapFile));
        Assert.That(source.Error, Is.Null);
        Assert.That(seen, Is.EqualTo(new[] { stamped, stamped }), "user1/user2 kept: nothing was rebuilt into packets");
        Assert.That(output.ToArray(), Is.EqualTo(file), "written back byte for byte");
    }

    [Test]
    public void AFileByPathThatCannotBeOpenedThrowsAndOneCutShortEndsItsSource()
    {
        using var engine = new NcapEngine();
        Assert.Throws<FileNotFoundException>(() => engine.AddCaptureFile(Path.Combine(TempDir, "missing.pcap")));
        Assert.That(engine.Sources, Is.Empty);

        // The collecting thread reads a file by path: the messages before the cut are delivered, then the source ends with the error.
        byte[] whole = File.ReadAllBytes(Repository.SamplePath);
        string cut = Path.Combine(TempDir, "cut.pcapng");
        File.WriteAllBytes(cut, whole[..(whole.Length - 7)]);
        var source = engine.AddCaptureFile(cut);
        var seen = new List<NcapSource>();
        engine.SourceEnded += (_, e) => seen.Add(e.Source);
        long delivered = engine.Collect((in NcapRecord _, NcapSource _) => { });
        Assert.That(delivered, Is.GreaterThan(0));
        Assert.That(source.Error, Is.InstanceOf<CaptureFormatException>());
        Assert.That((seen, source.IsEnded, engine.Sources.Count), Is.EqualTo((new List<NcapSource> { source }, true, 0)));
    }

    [Test]
    public void AddNcapFileRefusesOtherFormats()
    {
        using var engine = new NcapEngine();
        var source = engine.AddNcapFile(Repository.SamplePath);
        engine.Collect((in NcapRecord _, NcapSource _) => { });
        Assert.That(source.Error, Is.InstanceOf<CaptureFormatException>().With.Message.Contains("not NCAP"));
    }

    [Test]
    public void FramesApisNameTheWayToNcap()
    {
        byte[] file = NcapTestData.WriteStream([]);
        var e = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream(file)));
        Assert.That(e!.Message, Does.Contain("NcapReader").And.Contain("CaptureFiles.OpenReader"));
        var w = Assert.Throws<ArgumentException>(() => CaptureWriter.Create(new MemoryStream(), CaptureFormat.Ncap));
        Assert.That(w!.Message, Does.Contain("CaptureFiles.CreateWriter"));
        using var reader = CaptureFiles.OpenReader(new MemoryStream(file));
        Assert.That(reader.Format, Is.EqualTo(CaptureFormat.Ncap));
    }

    private static bool ReadsCleanly(string capture)
    {
        try
        {
            using var reader = CaptureFiles.OpenReader(capture);
            while (reader.Read()) { }
            return true;
        }
        catch (CaptureFormatException)
        {
            return false;
        }
    }

    private static byte[] ThroughTheLibrary(string capture, NcapConversionOptions conversion)
    {
        var output = new MemoryStream();
        using (var reader = CaptureFiles.OpenReader(capture))
        using (var writer = CaptureFiles.CreateWriter(output, CaptureFormat.Ncap, new CaptureWriterOptions { LeaveOpen = true }, conversion))
            while (reader.Read()) writer.Write(reader.Current);
        return output.ToArray();
    }

    private static byte[] ThroughTheEngine(string capture, NcapConversionOptions conversion)
    {
        var output = new MemoryStream();
        using var engine = new NcapEngine(new NcapEngineOptions { Conversion = conversion });
        var source = engine.AddCaptureFile(capture);
        NcapEngine.WriteHeader(output);
        engine.Collect((in NcapRecord m, NcapSource _) => engine.Write(m, output));
        Assert.That(source.Error, Is.Null);
        return output.ToArray();
    }
}

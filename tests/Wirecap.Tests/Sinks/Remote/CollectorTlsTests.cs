using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Wirecap.Formats;
using Wirecap.Sinks;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Sinks.Remote;

/// <summary>A collector with TLS takes streams only from senders whose certificate its CA issued, and refuses everyone
/// else before anything reaches its directory; a stream gone silent is cut after the idle timeout.</summary>
public sealed class CollectorTlsTests : TempDirectoryFixture
{
    private static readonly TestCertificates Authority = new("wirecap");
    private static readonly TestCertificates Stranger = new("stranger");

    public enum Intruder { NoCertificate, OtherAuthority, PlainTcp, Silent }

    private static byte[] Frame(int number)
    {
        var frame = new byte[60 + number % 1400];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88b5);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(14), number);
        return frame;
    }

    private static PacketRecord Record(int number, byte[] frame) =>
        new(frame, 1_700_000_000_000_000_000 + number * 1000L, frame.Length, LinkType.Ethernet, 0);

    private static readonly CaptureWriterOptions OneInterface = new() { Interfaces = [new CaptureInterface { Name = "eth0" }] };

    private sealed class Watched(TcpCaptureCollector collector) : IAsyncDisposable
    {
        public readonly TaskCompletionSource<CollectedStream> Completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource<RefusedStream> Refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>The collector's directory count as the refusal's handler saw it (the moment the refusal is heard).</summary>
        public long DirectoryBytesAtRefusal = -1;
        public TcpCaptureCollector Collector => collector;
        public int Port => collector.LocalEndpoint.Port;
        public ValueTask DisposeAsync() => collector.DisposeAsync();
    }

    private Watched Start(TcpCaptureCollectorOptions options)
    {
        var watched = new Watched(new TcpCaptureCollector(new IPEndPoint(IPAddress.Loopback, 0), TempDir, options));
        watched.Collector.StreamCompleted += s => watched.Completed.TrySetResult(s);
        watched.Collector.StreamRefused += r =>
        {
            watched.DirectoryBytesAtRefusal = watched.Collector.DirectoryBytes;
            watched.Refused.TrySetResult(r);
        };
        watched.Collector.Start();
        return watched;
    }

    [Test]
    public async Task ASenderWithACertificateOfTheAuthorityStreamsAndTheFileHoldsWhatItSent()
    {
        const int count = 5000;
        await using var run = Start(new TcpCaptureCollectorOptions { Tls = Authority.Tls("collector", server: true) });
        var sent = new List<byte[]>();
        using (var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", run.Port, OneInterface, tls: Authority.Tls("sender", server: false)))
        {
            for (int i = 0; i < count; i++)
            {
                var frame = Frame(i);
                sent.Add(frame);
                exporter.Write(Record(i, frame));
            }
        }
        var stream = await run.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(stream.Error, Is.Null);
        Assert.That(stream.Packets, Is.EqualTo(count));
        using var reader = CaptureReader.Open(stream.Path);
        int n = 0;
        while (reader.Read())
        {
            Assert.That(reader.Current.Data.ToArray(), Is.EqualTo(sent[n]), $"packet {n}");
            Assert.That(reader.Current.TimestampNanoseconds, Is.EqualTo(1_700_000_000_000_000_000 + n * 1000L));
            n++;
        }
        Assert.That(n, Is.EqualTo(count));
        Assert.That(reader.Interfaces[0].Name, Is.EqualTo("eth0"));
        Assert.That(run.Collector.StreamsRefused, Is.Zero);
        Assert.That(run.Collector.DirectoryBytes, Is.EqualTo(new FileInfo(stream.Path).Length), "counted right with no directory limit too");
    }

    [TestCase(Intruder.NoCertificate, "presented no certificate")]
    [TestCase(Intruder.OtherAuthority, "is not vouched for by the trusted CA")]
    [TestCase(Intruder.PlainTcp, "no TLS handshake")]
    [TestCase(Intruder.Silent, "no handshake within 2 s")]
    public async Task ASenderWithoutAnAcceptedCertificateIsRefusedBeforeAnythingIsWritten(Intruder intruder, string reason)
    {
        await using var run = Start(new TcpCaptureCollectorOptions
        {
            Tls = Authority.Tls("collector", server: true),
            HandshakeTimeout = TimeSpan.FromSeconds(2),
        });
        var attempt = Task.Run(() => IntrudeAsync(intruder, run.Port));
        var refusal = await run.Refused.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await attempt.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(refusal.Limit, Is.EqualTo(CollectorLimit.Authentication));
        Assert.That(refusal.Reason, Does.Contain("TLS: ").And.Contain(reason));
        Assert.That(run.Collector.StreamsRefused, Is.EqualTo(1));
        Assert.That(run.Collector.Completed, Is.Empty, "a refused connection is no collected stream");
        Assert.That(Directory.GetFileSystemEntries(TempDir), Is.Empty, "no file, not even an empty one");
        Assert.That(run.Collector.DirectoryBytes, Is.Zero);
        Assert.That(run.DirectoryBytesAtRefusal, Is.Zero, "the header's reservation is given back before the refusal is announced");
    }

    /// <summary>Tries to stream 100 packets as <paramref name="intruder"/>; whatever the collector does to it ends here.</summary>
    private static async Task IntrudeAsync(Intruder intruder, int port)
    {
        try
        {
            switch (intruder)
            {
                case Intruder.OtherAuthority:
                    // It trusts our collector, but its own certificate comes from another CA.
                    using (var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", port, OneInterface, tls: Stranger.Tls("intruder", server: false, trusted: Authority)))
                        for (int i = 0; i < 100; i++) exporter.Write(Record(i, Frame(i)));
                    break;
                case Intruder.PlainTcp:
                    using (var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", port, OneInterface))
                        for (int i = 0; i < 100; i++) exporter.Write(Record(i, Frame(i)));
                    break;
                case Intruder.NoCertificate:
                    using (var client = new TcpClient())
                    {
                        await client.ConnectAsync(IPAddress.Loopback, port);
                        await using var ssl = new SslStream(client.GetStream());
                        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                        {
                            TargetHost = "localhost",
                            RemoteCertificateValidationCallback = (_, _, _, _) => true, // the refusal must be the collector's
                        });
                        using var writer = CaptureWriter.Create(ssl, CaptureFormat.PcapNg, OneInterface);
                        for (int i = 0; i < 100; i++) writer.Write(Record(i, Frame(i)));
                        writer.Flush();
                        await Task.Delay(500);
                        writer.Write(Record(100, Frame(100)));
                        writer.Flush();
                    }
                    break;
                case Intruder.Silent:
                    using (var client = new TcpClient())
                    {
                        await client.ConnectAsync(IPAddress.Loopback, port);
                        await Task.Delay(TimeSpan.FromSeconds(4));
                    }
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
        }
    }

    [Test]
    public async Task ASenderTheCollectorRefusedLearnsItWhenItCloses()
    {
        await using var run = Start(new TcpCaptureCollectorOptions { Tls = Authority.Tls("collector", server: true) });
        var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", run.Port, OneInterface,
            tls: Stranger.Tls("intruder", server: false, trusted: Authority));
        await run.Refused.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var e = Assert.Throws<IOException>(() =>
        {
            for (int i = 0; i < 10; i++) exporter.Write(Record(i, Frame(i)));
            exporter.Dispose();
        });
        exporter.Dispose(); // closed all the same: a second call is a no-op
        Assert.That(e!.Message, Does.Contain("closed the connection before the end of the stream"));
        Assert.That(Directory.GetFileSystemEntries(TempDir), Is.Empty);
    }

    [Test]
    public async Task TheSenderRefusesACollectorWhoseCertificateIsNotFromItsAuthority()
    {
        await using var run = Start(new TcpCaptureCollectorOptions { Tls = Stranger.Tls("impostor", server: true, trusted: Authority) });
        var e = Assert.ThrowsAsync<AuthenticationException>(() =>
            TcpCaptureExporter.ConnectAsync("127.0.0.1", run.Port, OneInterface, tls: Authority.Tls("sender", server: false)));
        Assert.That(e!.Message, Does.Contain("collector's certificate CN=impostor is not vouched for by the trusted CA"));
    }

    [Test]
    public async Task ASenderGoneSilentIsCutAfterTheIdleTimeoutWithWhatItSentKept([Values] bool tls)
    {
        await using var run = Start(new TcpCaptureCollectorOptions
        {
            Tls = tls ? Authority.Tls("collector", server: true) : null,
            IdleTimeout = TimeSpan.FromSeconds(1),
        });
        using var exporter = await TcpCaptureExporter.ConnectAsync("127.0.0.1", run.Port, OneInterface,
            tls: tls ? Authority.Tls("sender", server: false) : null);
        for (int i = 0; i < 3; i++) exporter.Write(Record(i, Frame(i)));
        exporter.Flush();
        // The connection stays open, and nothing more comes.
        var stream = await run.Completed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(stream.Error, Is.TypeOf<CollectorLimitException>().With.Property("Limit").EqualTo(CollectorLimit.IdleTimeout));
        Assert.That(stream.Error!.Message, Does.Contain("nothing received for 1 s"));
        Assert.That(stream.Packets, Is.EqualTo(3));
        Assert.That(run.Collector.StreamsCut, Is.EqualTo(1));
        using var reader = CaptureReader.Open(stream.Path);
        int n = 0;
        while (reader.Read()) n++;
        Assert.That(n, Is.EqualTo(3), "the file is valid and holds what came before the silence");
    }
}

using System.Diagnostics.Metrics;
using DnsMonitor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wirecap.Cli.Sample;
using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Samples;

/// <summary>The worker-service sample (samples/DnsMonitor) run as a host over a capture file.</summary>
public class DnsMonitorSampleTests : TempDirectoryFixture
{
    private static byte[] DnsFrame(string client, string server, bool answer, byte[] dns) =>
        FrameBuilder.Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02", EtherTypes.IPv4,
            answer ? FrameBuilder.Ip(server, client, IpProtocols.Udp, FrameBuilder.Udp(53, 40000, dns))
                   : FrameBuilder.Ip(client, server, IpProtocols.Udp, FrameBuilder.Udp(40000, 53, dns)));

    private static byte[] Nxdomain(ushort id, string name)
    {
        var answer = DnsMessages.Answer(id, name, 1);
        answer[3] = (byte)((answer[3] & 0xf0) | 3); // rcode NXDOMAIN
        return answer;
    }

    [Test]
    public void ItLogsAndCountsEachNxdomainAnswerAndStopsAtTheEndOfTheFile()
    {
        var path = Path.Combine(TempDir, "dns.pcap");
        using (var writer = CaptureWriter.Create(path, CaptureFormat.Pcap, new CaptureWriterOptions { LinkType = LinkType.Ethernet }))
        {
            long time = 1_700_000_000_000_000_000;
            void Write(byte[] frame) => writer.Write(frame, time += 1000);
            Write(DnsFrame("192.0.2.10", "192.0.2.53", false, DnsMessages.Query(1, "nothere.example", 1)));
            Write(DnsFrame("192.0.2.10", "192.0.2.53", true, Nxdomain(1, "nothere.example")));
            Write(DnsFrame("192.0.2.10", "192.0.2.53", false, DnsMessages.Query(2, "www.example", 1)));
            Write(DnsFrame("192.0.2.10", "192.0.2.53", true, DnsMessages.Answer(2, "www.example", 1, "192.0.2.80")));
            Write(DnsFrame("192.0.2.11", "198.51.100.53", true, Nxdomain(3, "typo.example")));
        }

        var logs = new LogCollector();
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NxdomainMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        using var host = MonitorHost.Build(["--DnsMonitor:Files:0=" + path], services => services.AddLogging(b => b.AddProvider(logs)));
        var run = host.RunAsync();
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "the host stops by itself once the file has been read");

        var nxdomain = logs.Messages.Where(m => m.StartsWith("NXDOMAIN", StringComparison.Ordinal)).ToList();
        Assert.That(nxdomain, Is.EqualTo(new[]
        {
            "NXDOMAIN for nothere.example. from 192.0.2.53 to 192.0.2.10 (pf " + path + ")",
            "NXDOMAIN for typo.example. from 198.51.100.53 to 192.0.2.11 (pf " + path + ")",
        }));
        Assert.That(logs.Messages, Has.Some.EqualTo("done: 2 NXDOMAIN answer(s), 3 other message(s) filtered out"));
        Assert.That(Interlocked.Read(ref counted), Is.EqualTo(2));
    }

    private sealed class LogCollector : ILoggerProvider
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages { get { lock (_messages) return [.. _messages]; } }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(LogCollector owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._messages) owner._messages.Add(formatter(state, exception));
            }
        }
    }
}

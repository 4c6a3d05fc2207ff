using System.Diagnostics;
using System.Net;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.Datagrams.DatagramTestData;

namespace Wirecap.Tests.Ncap.Datagrams;

/// <summary>ncaptool 1.9.2 on the other end of the datagrams: it receives what we send (with and
/// without the sequence trailer) and we receive what it sends.</summary>
[TestFixture]
public sealed class NcapDatagramInteropTests : TempDirectoryFixture
{
    [SetUp]
    public void SetUp()
    {
        Tool.Require("ncaptool");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void NcaptoolListeningReceivesEveryMessageWeSend(bool trailer)
    {
        const int count = 300;
        int port = FreeUdpPort();
        string output = Path.Combine(TempDir, "received.ncap");
        using var ncaptool = Process.Start(new ProcessStartInfo("ncaptool", $"-l 127.0.0.1/{port} -c {count} -o {output}")
        {
            RedirectStandardError = true, UseShellExecute = false,
        })!;
        try
        {
            PortWaiter.WaitUntilBound(port, failedEarly: () => ncaptool.HasExited ? $"ncaptool exited early: {ncaptool.StandardError.ReadToEnd()}" : null);
            Thread.Sleep(200); // bound is not yet reading: ncaptool sets its sources up after binding
            var messages = Enumerable.Range(0, count).Select(Numbered).ToList();
            using (var sender = NcapDatagramSender.Connect("127.0.0.1", port,
                       new NcapDatagramSenderOptions { SequenceTrailer = trailer, MaxMessagesPerSecond = 2000 }))
                foreach (var message in messages) Assert.That(sender.Send(message), Is.True);

            if (!ncaptool.WaitForExit(10_000))
            {
                ncaptool.Kill();
                ncaptool.WaitForExit();
                Assert.Fail($"ncaptool did not stop after -c {count} messages; its file holds {new FileInfo(output).Length} bytes");
            }
            Assert.That(ncaptool.ExitCode, Is.Zero, ncaptool.StandardError.ReadToEnd());
            using var file = File.OpenRead(output);
            Assert.That(NcapTestData.ReadStream(file), Is.EqualTo(messages));
        }
        finally
        {
            if (!ncaptool.HasExited) ncaptool.Kill();
        }
    }

    [Test]
    public void WeReceiveEveryMessageNcaptoolSends()
    {
        const int count = 300;
        var messages = Enumerable.Range(0, count).Select(Numbered).ToList();
        string input = Path.Combine(TempDir, "send.ncap");
        File.WriteAllBytes(input, NcapTestData.WriteStream(messages));
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var received = new List<NcapMessage>();
        var receiving = Task.Run(() =>
        {
            while (received.Count < count && receiver.TryReceive(out var record, out _, TimeSpan.FromSeconds(5)))
                received.Add(record.ToMessage());
        });

        // ncaptool's own pacing (-s addr/port,rate) keeps a burst from overrunning the socket buffer.
        Tool.RunOk("ncaptool", $"-n {input} -s 127.0.0.1/{receiver.LocalEndPoint.Port},2000", timeoutMs: 30_000);
        Assert.That(receiving.Wait(TimeSpan.FromSeconds(15)), Is.True);

        Assert.That(received, Is.EqualTo(messages));
        Assert.That(receiver.HeadersReceived, Is.GreaterThanOrEqualTo(count / 100));
        Assert.That(receiver.Malformed + receiver.IgnoredBeforeHeader, Is.Zero);
        Assert.That(receiver.LastSequence, Is.Null, "ncaptool sends no trailer");
    }
}

using System.Net;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using NUnit.Framework;
using Wirecap.Tests.Infrastructure;
using static Wirecap.Tests.Ncap.Datagrams.DatagramTestData;

namespace Wirecap.Tests.Ncap.Datagrams;

/// <summary>Our sender and receiver on the two ends of 127.0.0.1.</summary>
[TestFixture]
public sealed class NcapDatagramLoopbackTests
{
    [Test]
    public void FiveThousandMessagesAtTenThousandPerSecondArriveInOrder()
    {
        const int count = 5000;
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = NcapDatagramSender.Connect("127.0.0.1", receiver.LocalEndPoint.Port,
            new NcapDatagramSenderOptions { MaxMessagesPerSecond = 10_000 });
        var received = new List<int>(count);
        var receiving = Task.Run(() =>
        {
            while (received.Count < count && receiver.TryReceive(out var record, out _, TimeSpan.FromSeconds(5)))
                received.Add(NumberOf(record.Payload));
        });
        for (int i = 0; i < count; i++)
            Assert.That(sender.Send(Numbered(i)), Is.True);
        Assert.That(receiving.Wait(TimeSpan.FromSeconds(30)), Is.True, "receiver did not finish");

        Assert.That(received, Is.EqualTo(Enumerable.Range(0, count)));
        Assert.That(sender.MessagesSent, Is.EqualTo(count));
        Assert.That(sender.HeadersSent, Is.EqualTo(count / 100), "one header per 100 messages");
        Assert.That(receiver.HeadersReceived, Is.EqualTo(count / 100));
        Assert.That(receiver.Gaps, Is.Zero);
        Assert.That(receiver.Malformed, Is.Zero);
        Assert.That(receiver.IgnoredBeforeHeader, Is.Zero);
    }

    [Test]
    public async Task ReceiveAsyncReturnsAnOwnedCopyAndTheSender()
    {
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = NcapDatagramSender.Connect("127.0.0.1", receiver.LocalEndPoint.Port);
        sender.Send(Numbered(7));
        sender.Send(Numbered(8));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var first = await receiver.ReceiveAsync(timeout.Token);
        var second = await receiver.ReceiveAsync(timeout.Token);

        Assert.That(first.Message, Is.EqualTo(Numbered(7)));
        Assert.That(second.Message, Is.EqualTo(Numbered(8)));
        Assert.That((first.Sequence, second.Sequence), Is.EqualTo(((uint?)0, (uint?)1)));
        Assert.That(((IPEndPoint)first.Sender).Address, Is.EqualTo(IPAddress.Loopback));
    }

    [Test]
    public void TryReceiveTimesOutAndHonoursCancellation()
    {
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.That(receiver.TryReceive(out _, out _), Is.False);
        var started = DateTime.UtcNow;
        Assert.That(receiver.TryReceive(out _, out _, TimeSpan.FromMilliseconds(200)), Is.False);
        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        Assert.That(() => receiver.TryReceive(out _, out _, Timeout.InfiniteTimeSpan, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void TheRateLimitHoldsTheSender()
    {
        using var sink = RawSocket();
        using var sender = new NcapDatagramSender(RawSocket(), sink.LocalEndPoint,
            new NcapDatagramSenderOptions { MaxMessagesPerSecond = 1000 }, ownsSocket: true);
        var drained = DrainInBackground(sink, 303);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 300; i++) sender.Send(Numbered(i));
        // 300 messages at 1000/s, less the 10-message burst the bucket starts with.
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280)));
        Assert.That(drained.Result.Count(d => !IsHeader(d)), Is.EqualTo(300));
    }

    [Test]
    public void SendingAndReceivingAllocateNothingPerMessage()
    {
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = NcapDatagramSender.Connect("127.0.0.1", receiver.LocalEndPoint.Port);
        var message = Numbered(1);
        byte[] source = [10, 0, 0, 1], destination = [10, 0, 0, 2];
        byte[] payload = message.Payload.ToArray();
        int Exchange(int n)
        {
            int got = 0;
            for (int i = 0; i < n; i++)
            {
                sender.Send(new NcapRecord
                {
                    Seconds = 1, Network = NcapNetwork.IPv4, Source = source, Destination = destination,
                    Transport = NcapTransport.Udp, SourcePort = 1, DestinationPort = 2, Payload = payload,
                });
                if (receiver.TryReceive(out _, out _, TimeSpan.FromSeconds(2))) got++;
            }
            return got;
        }
        int received = 0;
        long allocated = Allocations.Quietest(6, () => received += Exchange(200));

        Assert.That(received, Is.EqualTo(6 * 200));
        Assert.That(allocated, Is.Zero, "bytes allocated for 200 send/receive pairs");
    }
}

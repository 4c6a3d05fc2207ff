using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.Datagrams.DatagramTestData;

namespace Wirecap.Tests.Ncap.Datagrams;

/// <summary>The header, mute, malformed and gap rules, each seen datagram by datagram.</summary>
[TestFixture]
public sealed class NcapDatagramRulesTests
{
    [Test]
    public void HeaderGoesFirstThenAfterEveryHundredMessages()
    {
        using var sink = RawSocket();
        using var sender = new NcapDatagramSender(RawSocket(), sink.LocalEndPoint,
            new NcapDatagramSenderOptions { Time = new FakeTimeProvider() }, ownsSocket: true);
        var drained = DrainInBackground(sink, 253);
        for (int i = 0; i < 250; i++) sender.Send(Numbered(i));

        var datagrams = drained.Result;
        var headerPositions = datagrams.Select((d, i) => (d, i)).Where(x => IsHeader(x.d)).Select(x => x.i);
        Assert.That(headerPositions, Is.EqualTo(new[] { 0, 101, 202 }));
        Assert.That(datagrams, Has.Count.EqualTo(253));
        Assert.That(sender.HeadersSent, Is.EqualTo(3));
    }

    [Test]
    public void HeaderIsRepeatedOnceFiveSecondsPassed()
    {
        var time = new FakeTimeProvider();
        using var sink = RawSocket();
        using var sender = new NcapDatagramSender(RawSocket(), sink.LocalEndPoint, new NcapDatagramSenderOptions { Time = time }, ownsSocket: true);
        sender.Send(Numbered(0));
        time.Advance(TimeSpan.FromSeconds(4.9));
        sender.Send(Numbered(1));
        time.Advance(TimeSpan.FromSeconds(0.1));
        sender.Send(Numbered(2));

        var kinds = Drain(sink, 5).Select(d => IsHeader(d) ? "H" : "M");
        Assert.That(string.Concat(kinds), Is.EqualTo("HMMHM"));
    }

    [Test]
    public void HeaderPolicyIsConfigurable()
    {
        var time = new FakeTimeProvider();
        using var sink = RawSocket();
        using var sender = new NcapDatagramSender(RawSocket(), sink.LocalEndPoint,
            new NcapDatagramSenderOptions { Time = time, HeaderEveryMessages = 2, HeaderInterval = TimeSpan.FromSeconds(1) }, ownsSocket: true);
        for (int i = 0; i < 5; i++) sender.Send(Numbered(i));
        time.Advance(TimeSpan.FromSeconds(1));
        sender.Send(Numbered(5));
        Assert.That(string.Concat(Drain(sink, 10).Select(d => IsHeader(d) ? "H" : "M")), Is.EqualTo("HMMHMMHMHM"));
        Assert.That(() => new NcapDatagramSenderOptions { HeaderEveryMessages = 0 }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void TrailerCarriesTheSequenceAndCanBeTurnedOff()
    {
        using var sink = RawSocket();
        using (var with = new NcapDatagramSender(RawSocket(), sink.LocalEndPoint, ownsSocket: true))
            for (int i = 0; i < 3; i++) with.Send(Numbered(i));
        using (var without = new NcapDatagramSender(RawSocket(), sink.LocalEndPoint, new NcapDatagramSenderOptions { SequenceTrailer = false }, ownsSocket: true))
            without.Send(Numbered(0));

        var messages = Drain(sink, 6).Where(d => !IsHeader(d)).ToList();
        for (int i = 0; i < 3; i++)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(messages[i]);
            Assert.That(messages[i], Has.Length.EqualTo(length + 8));
            Assert.That(NcapSequenceTrailer.TryRead(messages[i].AsSpan(length), out uint sequence) && sequence == i, Is.True);
        }
        Assert.That(messages[3], Has.Length.EqualTo(BinaryPrimitives.ReadUInt32BigEndian(messages[3])));
        Assert.That(messages[3], Is.EqualTo(NcapTestData.Encode(Numbered(0))));
    }

    [Test]
    public void MessagesBeforeTheirSendersHeaderAreIgnoredPerSender()
    {
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var a = RawSocket();
        using var b = RawSocket();
        var message = NcapTestData.Encode(Numbered(1));
        a.SendTo(message, receiver.LocalEndPoint);
        a.SendTo(Header(), receiver.LocalEndPoint);
        b.SendTo(message, receiver.LocalEndPoint);   // b never sent a header: a's does not count for it
        a.SendTo(message, receiver.LocalEndPoint);

        Assert.That(receiver.TryReceive(out var record, out var from, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(from, Is.EqualTo(a.LocalEndPoint));
        Assert.That(NumberOf(record.Payload), Is.EqualTo(1));
        Assert.That(receiver.TryReceive(out _, out _, TimeSpan.FromMilliseconds(200)), Is.False);
        Assert.That(receiver.IgnoredBeforeHeader, Is.EqualTo(2));
        Assert.That(receiver.MessagesReceived, Is.EqualTo(1));
        Assert.That(receiver.SenderCount, Is.EqualTo(2));
    }

    [Test]
    public void AHeaderWithAnotherVersionKeepsTheSenderIgnored()
    {
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var a = RawSocket();
        var header = Header();
        header[7] = 41;
        a.SendTo(header, receiver.LocalEndPoint);
        a.SendTo(NcapTestData.Encode(Numbered(1)), receiver.LocalEndPoint);
        Assert.That(receiver.TryReceive(out _, out _, TimeSpan.FromMilliseconds(300)), Is.False);
        Assert.That((receiver.UnsupportedHeaders, receiver.IgnoredBeforeHeader), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public void MalformedDatagramsAreSkippedAndCounted()
    {
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var a = RawSocket();
        var good = NcapTestData.Encode(Numbered(5));
        var unknownNetwork = (byte[])good.Clone();
        unknownNetwork[21] = 9;
        var lengthTooLong = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(lengthTooLong, (uint)good.Length + 4);
        var payloadOverrun = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(payloadOverrun.AsSpan(24), 5000);
        var lengthTooShort = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(lengthTooShort, 12);
        byte[][] bad = [[1, 2, 3, 4, 5], unknownNetwork, lengthTooLong, payloadOverrun, lengthTooShort];

        a.SendTo(Header(), receiver.LocalEndPoint);
        foreach (var datagram in bad) a.SendTo(datagram, receiver.LocalEndPoint);
        a.SendTo(good, receiver.LocalEndPoint);

        Assert.That(receiver.TryReceive(out var record, out _, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(NumberOf(record.Payload), Is.EqualTo(5));
        Assert.That(receiver.Malformed, Is.EqualTo(bad.Length));
        Assert.That(receiver.LastMalformedReason, Does.Contain("message length 12"));
    }

    [Test]
    public void TrailingBytesThatAreNotATrailerAreAccepted()
    {
        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var a = RawSocket();
        a.SendTo(Header(), receiver.LocalEndPoint);
        a.SendTo([.. NcapTestData.Encode(Numbered(3)), 0xde, 0xad], receiver.LocalEndPoint);
        Assert.That(receiver.TryReceive(out var record, out _, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That((NumberOf(record.Payload), receiver.LastSequence), Is.EqualTo((3, (uint?)null)));
    }

    [Test]
    public void SkippedDatagramsAreCountedAsGapsPerSender()
    {
        using var capture = RawSocket();
        using (var sender = new NcapDatagramSender(RawSocket(), capture.LocalEndPoint,
                   new NcapDatagramSenderOptions { Time = new FakeTimeProvider() }, ownsSocket: true))
            for (int i = 0; i < 50; i++) sender.Send(Numbered(i));
        var datagrams = Drain(capture, 51);
        Assert.That(datagrams, Has.Count.EqualTo(51));

        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var replay = RawSocket();
        using var other = RawSocket();
        other.SendTo(Header(), receiver.LocalEndPoint);
        // Datagram i + 1 holds message i: drop messages 10..14 and 30, deliver 40 after 41.
        var skip = new HashSet<int> { 10, 11, 12, 13, 14, 30 };
        var order = Enumerable.Range(0, 50).Where(i => !skip.Contains(i)).ToList();
        order.Remove(40);
        order.Insert(order.IndexOf(41) + 1, 40);
        replay.SendTo(datagrams[0], receiver.LocalEndPoint);
        foreach (int i in order)
        {
            replay.SendTo(datagrams[i + 1], receiver.LocalEndPoint);
            other.SendTo(datagrams[i + 1], receiver.LocalEndPoint); // the other sender loses nothing
        }

        var received = new List<int>();
        while (receiver.TryReceive(out var record, out _, TimeSpan.FromMilliseconds(500))) received.Add(NumberOf(record.Payload));
        Assert.That(received, Has.Count.EqualTo(2 * order.Count));
        Assert.That(receiver.Gaps, Is.EqualTo(6 + 6), "6 lost by each sender (other's copy lacks the same messages)");
        Assert.That(receiver.LateArrivals, Is.EqualTo(2));

        // A far jump is a restarted sender, not a million lost datagrams.
        var jumped = (byte[])datagrams[50];
        NcapSequenceTrailer.Write(jumped.AsSpan(jumped.Length - 8), 5_000_000);
        replay.SendTo(jumped, receiver.LocalEndPoint);
        Assert.That(receiver.TryReceive(out _, out _, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That((receiver.Gaps, receiver.SequenceResets), Is.EqualTo((12L, 1L)));
    }

    [Test]
    public void NetworkErrorsMuteForFiveSecondsThenAHeaderLeads()
    {
        var time = new FakeTimeProvider();
        int port = FreeUdpPort();
        using var sender = NcapDatagramSender.Connect("127.0.0.1", port, new NcapDatagramSenderOptions { Time = time });
        // Nothing listens: the ICMP port-unreachable of the first datagram makes a later send fail
        // with ECONNREFUSED.
        int accepted = 0;
        for (int i = 0; i < 5 && !sender.IsMuted; i++)
        {
            if (sender.Send(Numbered(i))) accepted++;
            Thread.Sleep(20);
        }
        Assert.That(sender.IsMuted, Is.True);
        Assert.That(sender.Mutes, Is.EqualTo(1));
        long droppedAtMute = sender.DroppedWhileMuted;
        Assert.That(sender.Send(Numbered(10)), Is.False);
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.That(sender.Send(Numbered(11)), Is.False);
        Assert.That(sender.DroppedWhileMuted, Is.EqualTo(droppedAtMute + 2));

        using var receiver = NcapDatagramReceiver.Bind(new IPEndPoint(IPAddress.Loopback, port));
        time.Advance(TimeSpan.FromSeconds(0.1));
        long headers = sender.HeadersSent;
        Assert.That(sender.Send(Numbered(12)), Is.True);
        Assert.That(sender.HeadersSent, Is.EqualTo(headers + 1), "a header starts the stream again");
        Assert.That(receiver.TryReceive(out var record, out _, TimeSpan.FromSeconds(5)), Is.True, "the receiver saw the header first");
        Assert.That(NumberOf(record.Payload), Is.EqualTo(12));
        Assert.That(receiver.Gaps, Is.Zero, "the first sequence number a receiver sees is not a gap");
    }

    [Test]
    public void OversizedMessagesAndUnconnectedSocketsAreRefused()
    {
        using var sink = RawSocket();
        using var sender = new NcapDatagramSender(RawSocket(), sink.LocalEndPoint, ownsSocket: true);
        var huge = new NcapMessage
        {
            Source = IPAddress.Loopback, Destination = IPAddress.Loopback, Transport = NcapTransport.Udp,
            Payload = new byte[NcapDatagramSender.MaxDatagramLength],
        };
        Assert.That(() => sender.Send(huge), Throws.ArgumentException.With.Message.Contains("does not fit a UDP datagram"));
        using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.That(() => new NcapDatagramSender(unconnected), Throws.ArgumentException.With.Message.Contains("not connected"));
    }
}

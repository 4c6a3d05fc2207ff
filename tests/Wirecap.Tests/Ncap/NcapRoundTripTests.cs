using Wirecap.Formats.Ncap;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static Wirecap.Tests.Ncap.NcapTestData;

namespace Wirecap.Tests.Ncap;

public class NcapRoundTripTests
{
    [Test]
    public void WriteThenReadGivesTheSameMessages()
    {
        Prop.ForAll(Gen.ListOf(Messages()).ToArbitrary(), messages =>
        {
            var bytes = WriteStream(messages);
            Assert.That(bytes.Length % 4, Is.Zero);
            var back = ReadStream(new MemoryStream(bytes));
            Assert.That(back, Is.EqualTo(messages));
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void AsyncReadOverANonSeekableTrickleGivesTheSameMessages()
    {
        Prop.ForAll(Gen.ListOf(Messages()).ToArbitrary(), messages =>
        {
            var bytes = WriteStream(messages);
            var back = ReadAllAsync(new TrickleStream(bytes, 7)).GetAwaiter().GetResult();
            Assert.That(back, Is.EqualTo(messages));
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void EncodedLengthIsTheBytesWrittenAndAMultipleOfFour()
    {
        Prop.ForAll(Messages().ToArbitrary(), message =>
        {
            var bytes = Encode(message);
            Assert.That(bytes.Length % 4, Is.Zero);
            Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes), Is.EqualTo((uint)bytes.Length));
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void ConcatenatedStreamsAreReadAsOne()
    {
        var first = Messages().Sample(3, 5).ToArray();
        var second = Messages().Sample(3, 4).ToArray();
        var bytes = WriteStream(first).Concat(WriteStream(second)).ToArray();
        Assert.That(ReadStream(new MemoryStream(bytes)), Is.EqualTo(first.Concat(second)));
    }

    [Test]
    public void MessagesAboveTheLimitAreSkippedAndCounted()
    {
        var messages = Messages().Sample(10, 20).ToArray();
        var bytes = WriteStream(messages);
        var options = new NcapReaderOptions { MaxMessageLength = 100 };
        using var reader = new NcapReader(new MemoryStream(bytes), options);
        var kept = new List<NcapMessage>();
        while (reader.Read()) kept.Add(reader.Current.ToMessage());
        var expected = messages.Where(m => Encode(m).Length <= 100).ToList();
        Assert.That(kept, Is.EqualTo(expected));
        Assert.That(reader.SkippedMessages, Is.EqualTo(messages.Length - expected.Count));
    }

    [Test]
    public void LargePayloadsBeyondTheWriteBufferRoundTrip()
    {
        var message = Messages().Sample(1, 1).Single();
        var big = new NcapMessage
        {
            Source = message.Source, Destination = message.Destination, Transport = NcapTransport.Udp,
            Payload = Enumerable.Range(0, 200_001).Select(i => (byte)i).ToArray(),
        };
        var bytes = WriteStream([message, big, message]);
        Assert.That(ReadStream(new MemoryStream(bytes)), Is.EqualTo(new[] { message, big, message }));
    }

    private static async Task<List<NcapMessage>> ReadAllAsync(Stream stream)
    {
        var list = new List<NcapMessage>();
        await using var reader = new NcapReader(stream);
        await foreach (var m in reader.ReadAllAsync()) list.Add(m);
        return list;
    }
}

/// <summary>A non-seekable stream that hands out at most a few bytes per read, like a pipe.</summary>
internal sealed class TrickleStream(byte[] data, int chunk) : Stream
{
    private int _position;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

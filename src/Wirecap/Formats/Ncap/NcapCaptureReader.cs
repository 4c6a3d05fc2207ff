using System.Buffers;
using Wirecap.Decoding;

namespace Wirecap.Formats.Ncap;

/// <summary>Reads an NCAP stream through the common <see cref="CaptureReader"/> interface: each
/// message becomes a raw IPv4/IPv6 packet (<see cref="LinkType.Raw"/>) rebuilt by
/// <see cref="NcapFrameBuilder"/>, with the message's nanosecond timestamp. The user1/user2 tags
/// have no place in a packet record; use <see cref="NcapReader"/> to see them.</summary>
public sealed class NcapCaptureReader : CaptureReader
{
    private static readonly CaptureInterface[] RawInterface =
        [new CaptureInterface { LinkType = LinkType.Raw, SnapLength = 65535, Name = "ncap", TimestampResolution = 9 }];
    private readonly NcapFraming _framing;
    private byte[] _packet = new byte[2048];

    internal NcapCaptureReader(InputBuffer input, CaptureReaderOptions options) : base(input, options) =>
        _framing = new NcapFraming(options.EffectiveMaxPacketLength);

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.Ncap;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => RawInterface;

    /// <summary>Messages read through because they were longer than <see cref="CaptureReaderOptions.MaxPacketLength"/>.</summary>
    public long SkippedMessages => _framing.SkippedMessages;

    private protected override ReadOnlySpan<byte> RecordBytes(int offset, int length, out ReadOnlySequence<byte> segments)
    {
        segments = default;
        return _packet.AsSpan(offset, length);
    }

    // The file header is checked together with the first message.
    private protected override int ParseHeader() => NeedNothing;

    private protected override int ParseNext()
    {
        int need = _framing.Next(Input, out int length);
        if (need != 0)
        {
            EndAllowed = _framing.AtBoundary && need == 4;
            Pending = _framing.AtBoundary ? "NCAP message" : "NCAP file header";
            return need;
        }
        NcapCodec.TryDecode(Input.Contiguous(0, length), out var record, out _, out _);
        int size;
        try
        {
            size = NcapFrameBuilder.GetLength(record);
        }
        catch (ArgumentException e)
        {
            throw new CaptureFormatException(CaptureFormat.Ncap, Input.Offset, e.Message);
        }
        if (_packet.Length < size) _packet = new byte[Math.Max(size, _packet.Length * 2)];
        NcapFrameBuilder.Write(record, _packet);
        SetCurrent(length, 0, size, record.TimestampNanoseconds, size, LinkType.Raw, 0);
        return NeedNothing;
    }
}

using System.Buffers;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Decoding;

/// <summary>Reads an NCAP stream through the common <see cref="CaptureReader"/> interface (opened by
/// <see cref="CaptureFiles"/>): each message becomes a raw IPv4/IPv6 packet (<see cref="LinkType.Raw"/>),
/// built by <see cref="NcapToFrameConverter"/> only when <see cref="CaptureReader.Current"/> is asked for,
/// with the message's nanosecond timestamp. <see cref="CurrentMessage"/> is the message itself, user1/user2
/// included, which a packet record has no place for.</summary>
internal sealed class NcapFrameReader : CaptureReader
{
    private static readonly CaptureInterface[] RawInterface =
        [new CaptureInterface { LinkType = LinkType.Raw, SnapLength = 65535, Name = "ncap", TimestampResolution = 9 }];
    private readonly NcapFraming _framing;
    private byte[] _packet = new byte[2048];
    private int _messageLength = -1;
    private bool _packetBuilt;
    private string? _notAPacket;

    internal NcapFrameReader(InputBuffer input, CaptureReaderOptions options) : base(input, options, recordsInInput: false) =>
        _framing = new NcapFraming(options.EffectiveMaxPacketLength);

    /// <inheritdoc />
    public override CaptureFormat Format => CaptureFormat.Ncap;

    /// <inheritdoc />
    public override IReadOnlyList<CaptureInterface> Interfaces => RawInterface;

    /// <summary>Messages read through because they were longer than <see cref="CaptureReaderOptions.MaxPacketLength"/>.</summary>
    public long SkippedMessages => _framing.SkippedMessages;

    /// <summary>The current message, a view over the input buffer valid until the next read.</summary>
    public NcapRecord CurrentMessage
    {
        get
        {
            if (_messageLength < 0) throw new InvalidOperationException("no current message: call Read first");
            NcapMessageDecoder.TryDecode(Input.Contiguous(0, _messageLength), out var message, out _, out _);
            return message;
        }
    }

    private protected override ReadOnlySpan<byte> RecordBytes(int offset, int length, out bool split)
    {
        split = false;
        {
            if (_notAPacket is not null) throw new CaptureFormatException(CaptureFormat.Ncap, Input.Offset, _notAPacket);
            if (!_packetBuilt)
            {
                NcapToFrameConverter.Write(CurrentMessage, _packet);
                _packetBuilt = true;
            }
            return _packet.AsSpan(offset, length);
        }
    }

    // The file header is checked together with the first message.
    private protected override int ParseHeader() => NeedNothing;

    private protected override int ParseNext()
    {
        _messageLength = -1;
        int need = _framing.Next(Input, out int length);
        if (need != 0)
        {
            EndAllowed = _framing.AtBoundary && need == 4;
            Pending = _framing.AtBoundary ? "NCAP message" : "NCAP file header";
            return need;
        }
        _messageLength = length;
        var message = CurrentMessage;
        int size = 0;
        _notAPacket = null;
        try
        {
            size = NcapToFrameConverter.GetLength(message);
        }
        catch (ArgumentException e)
        {
            _notAPacket = e.Message; // the message is still read as such; only its packet cannot be built
        }
        if (_packet.Length < size) _packet = new byte[Math.Max(size, _packet.Length * 2)];
        _packetBuilt = false;
        SetCurrent(length, 0, size, message.TimestampNanoseconds, size, LinkType.Raw, 0);
        return NeedNothing;
    }
}

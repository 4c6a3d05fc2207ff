using NATS.Client.JetStream;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;

namespace Wirecap.Nats;

/// <summary>One capture batch read back from the stream, parsed whole. Acknowledge it with
/// <see cref="JetStreamCaptureSource.AckAsync"/> once what it holds is safe where it went.</summary>
public sealed class JetStreamBatch
{
    internal JetStreamBatch(INatsJSMsg<byte[]> message, ulong sequence, JetStreamBatchFormat format,
        IReadOnlyList<CaptureInterface> interfaces, IReadOnlyList<Packet> packets, IReadOnlyList<NcapMessage> messages, int alreadyTaken)
    {
        Message = message;
        StreamSequence = sequence;
        Format = format;
        Interfaces = interfaces;
        Packets = packets;
        Messages = messages;
        AlreadyTaken = alreadyTaken;
    }

    internal INatsJSMsg<byte[]> Message { get; }

    /// <summary>The batch's sequence number in the stream.</summary>
    public ulong StreamSequence { get; }

    /// <summary>pcapng packets or NCAP messages.</summary>
    public JetStreamBatchFormat Format { get; }

    /// <summary>The interfaces the packets name (pcapng).</summary>
    public IReadOnlyList<CaptureInterface> Interfaces { get; }

    /// <summary>The packets (pcapng batches).</summary>
    public IReadOnlyList<Packet> Packets { get; }

    /// <summary>The NCAP messages (NCAP batches).</summary>
    public IReadOnlyList<NcapMessage> Messages { get; }

    /// <summary>Packets or messages at the start a checkpoint says were taken before a restart: skip them.</summary>
    public int AlreadyTaken { get; }

    /// <summary>Packets or messages in the batch.</summary>
    public int Count => Format == JetStreamBatchFormat.Ncap ? Messages.Count : Packets.Count;
}

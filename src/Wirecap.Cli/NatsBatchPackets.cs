using Wirecap.Decoding;
using Wirecap.Formats;
using Wirecap.Formats.Ncap;
using Wirecap.Nats;

namespace Wirecap.Cli;

/// <summary>A batch read from JetStream as packets to print or write: pcapng batches as they are; NCAP batches as raw
/// IP packets, exactly as <c>-r FILE.ncap</c> reads them (user1/user2 have no place in a packet). A message that makes
/// no IP packet is null in the list, for the caller to count.</summary>
internal static class NatsBatchPackets
{
    public static (IReadOnlyList<CaptureInterface> Interfaces, IReadOnlyList<Packet?> Packets) Of(JetStreamBatch batch)
    {
        if (batch.Format == JetStreamBatchFormat.PcapNg) return (batch.Interfaces, batch.Packets);
        // Through the same NCAP reader as a file, so a message becomes the packet -r would make of it.
        var ncap = new MemoryStream();
        using (var writer = new NcapWriter(ncap, leaveOpen: true))
            foreach (var message in batch.Messages) writer.Write(message);
        ncap.Position = 0;
        using var reader = CaptureFiles.OpenReader(ncap);
        var packets = new List<Packet?>(batch.Count);
        while (reader.Read())
        {
            try
            {
                packets.Add(reader.Current.ToPacket());
            }
            catch (CaptureFormatException)
            {
                packets.Add(null);
            }
        }
        return (reader.Interfaces, packets);
    }
}

using Capture.Decoding;
using Capture.Formats;
using Capture.Ncap;

namespace Capture.Cli;

/// <summary><c>capture -r FILE --ncap-send HOST:PORT[,RATE]</c>: each packet NCAP can carry goes
/// out as one datagram (with headers and pacing as ncaptool's <c>-s</c>).</summary>
internal static class NcapSendCommand
{
    public static async Task<int> RunAsync(CliOptions options, CaptureReader reader, string host, int port, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var sender = NcapDatagramSender.Connect(host, port, new NcapDatagramSenderOptions { MaxMessagesPerSecond = options.NcapSendRate });
        long packets = 0, skipped = 0;
        while (packets < (options.Count ?? long.MaxValue) && await reader.ReadAsync(cancellationToken))
        {
            packets++;
            if (!Send(sender, reader.Current, options)) skipped++;
        }
        await stderr.WriteLineAsync($"{sender.MessagesSent} NCAP messages sent to {host}:{port} ({sender.HeadersSent} headers, {sender.DroppedWhileMuted} dropped while muted, {skipped} packets NCAP cannot carry)");
        return CaptureCommand.Success;
    }

    private static bool Send(NcapDatagramSender sender, PacketRecord packet, CliOptions options)
    {
        var result = NcapConverter.TryConvert(packet.LinkType, packet.Data, packet.OriginalLength, packet.TimestampNanoseconds, null, out var record);
        if (result != NcapConversionResult.Converted) return false;
        sender.Send(NcapStamping.Stamp(record, options));
        return true;
    }
}

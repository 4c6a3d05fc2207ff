using Wirecap.Formats.Ncap;

namespace Wirecap.Formats;

// NCAP files are opened by NcapCaptureReader, which turns each message into a raw IP packet.
public abstract partial class CaptureReader
{
    private static CaptureReader OpenNcap(InputBuffer input, CaptureReaderOptions options) =>
        new NcapCaptureReader(input, options);
}

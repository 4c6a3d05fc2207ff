using Wirecap.Formats.Ncap;

namespace Wirecap.Formats;

// NCAP files are written by NcapCaptureWriter, which turns each frame into an NCAP message.
public abstract partial class CaptureWriter
{
    private static CaptureWriter CreateNcap(OutputBuffer output, CaptureWriterOptions options) =>
        new NcapCaptureWriter(output, options);
}

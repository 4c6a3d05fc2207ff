namespace Capture.Formats;

// Hook for the NCAP format (owned by the NCAP work): replace the body with the NCAP reader's
// construction. The input is positioned at the "NCAP" magic; nothing has been consumed.
public abstract partial class CaptureReader
{
    private static CaptureReader OpenNcap(InputBuffer input, CaptureReaderOptions options) =>
        throw new CaptureFormatException(CaptureFormat.Ncap, 0, "reading NCAP is not available in this build");
}

namespace Capture.Formats;

// Hook for the NCAP format (owned by the NCAP work): replace the body with the NCAP writer's
// construction. The output is empty; the writer writes its own file header.
public abstract partial class CaptureWriter
{
    private static CaptureWriter CreateNcap(OutputBuffer output, CaptureWriterOptions options) =>
        throw new NotSupportedException("writing NCAP is not available in this build");
}

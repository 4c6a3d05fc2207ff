namespace Wirecap.Formats.Ncap;

/// <summary>The one place NCAP errors are made, so every one names the format and the offset.</summary>
internal static class NcapErrors
{
    public static CaptureFormatException Malformed(long offset, string what) =>
        new(CaptureFormat.Ncap, offset, what);
}

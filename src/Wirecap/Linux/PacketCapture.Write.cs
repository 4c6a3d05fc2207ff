using Wirecap.Formats;

namespace Wirecap.Linux;

public sealed partial class PacketCapture
{
    /// <summary>Writes frames straight from the ring to <paramref name="writer"/> (as interface
    /// <paramref name="interfaceId"/>), with no copy beyond the writer's own buffer, until
    /// <paramref name="maxPackets"/> were written, <see cref="Stop"/> or cancellation. Returns the count written.
    /// Create the writer with <see cref="WriterInterface"/> so its link type and snapshot length match.</summary>
    public long CaptureTo(CaptureWriter writer, long maxPackets = -1, int interfaceId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var sink = new WriterFrameHandler(writer, interfaceId);
        return Capture(ref sink, maxPackets, cancellationToken);
    }

    /// <summary>A description of this capture for a pcapng writer's interface list (name, link type, snapshot length,
    /// nanosecond resolution).</summary>
    public CaptureInterface WriterInterface => new()
    {
        Name = InterfaceName,
        LinkType = LinkType,
        SnapLength = SnapLength,
        TimestampResolution = (byte)(_options.NanosecondTimestamps ? 9 : 6),
    };

    IReadOnlyList<CaptureInterface> ILiveCapture.WriterInterfaces => [WriterInterface];

}

using Wirecap.Formats;

namespace Wirecap.Linux;

public sealed partial class PacketCapture
{
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

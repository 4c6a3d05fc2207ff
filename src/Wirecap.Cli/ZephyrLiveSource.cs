using Wirecap.Decoding;
using Wirecap.Linux;
using Wirecap.Sinks;

namespace Wirecap.Cli;

/// <summary><c>--listen zephyr[:[ADDR:]PORT]</c>: the frames a Zephyr device's net_capture tunnels over UDP, a live
/// capture like an interface's.</summary>
internal sealed class ZephyrLiveSource(ListenTarget target) : LiveSource
{
    /// <summary>-y names what the datagrams hold, as net-capture.py's -c (LINUX_SLL) and -C (LINUX_SLL2).</summary>
    public override ILiveCapture Open(CliOptions options)
    {
        var linkType = options.LinkTypeOverride ?? LinkType.Ethernet;
        if (linkType is not (LinkType.Ethernet or LinkType.LinuxSll or LinkType.LinuxSll2))
            throw new CliUsageException($"--listen zephyr takes -y EN10MB, LINUX_SLL or LINUX_SLL2 (got {PacketPrinter.LinkName(linkType)})");
        return ZephyrCaptureReceiver.Bind(new ZephyrReceiverOptions
        {
            Endpoint = target.Endpoint,
            LinkType = linkType,
            SnapLength = Math.Min(options.SnapLength, 65535),
            FilterExpression = options.Expression,
        });
    }

    public override Task WarnAsync(TextWriter stderr) => target.WarnIfExposedAsync(stderr, authenticated: false);

    public override string? ClosingLine(ILiveCapture capture) =>
        capture is ZephyrCaptureReceiver receiver
            ? $"{receiver.TooShort} datagrams too short for {PacketPrinter.LinkName(receiver.LinkType)} not written"
            : null;

    /// <summary>The endpoint, as the bind failure does not name it.</summary>
    public override string SocketErrorPrefix => $"{target.Describe(target.Endpoint.Port)}: ";
}

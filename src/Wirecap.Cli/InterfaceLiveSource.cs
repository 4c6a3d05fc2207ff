using Wirecap.Linux;
using Wirecap.Linux.Tc;

namespace Wirecap.Cli;

/// <summary><c>-i IFACE</c>: the AF_PACKET ring, or with <c>--datapath tc</c> eBPF at TC.</summary>
internal sealed class InterfaceLiveSource : LiveSource
{
    public static readonly InterfaceLiveSource Instance = new();

    private InterfaceLiveSource() { }

    public override ILiveCapture Open(CliOptions options)
    {
        if (options.Datapath == LiveDatapath.Packet) return PacketCapture.Open(CaptureOptions(options));
        if (options.Interface == PacketCaptureOptions.AnyInterface)
            throw new CliUsageException("--datapath tc attaches to one interface; -i any needs --datapath packet");
        var (program, expression) = CliFilter.LiveFilter(options);
        return TcCapture.Open(new TcCaptureOptions
        {
            Interface = options.Interface!,
            Direction = options.Direction,
            SnapLength = Math.Min(options.SnapLength, TcCaptureOptions.MaximumSnapLength),
            Program = program,
            FilterExpression = expression,
            RingSize = options.BufferKiB is { } kib ? (int)Math.Min(kib * 1024, 1 << 30) : new TcCaptureOptions().RingSize,
            Attach = options.TcAttach,
        });
    }


    private static PacketCaptureOptions CaptureOptions(CliOptions options)
    {
        var capture = new PacketCaptureOptions
        {
            Interface = options.Interface!,
            SnapLength = options.SnapLength,
            Promiscuous = !options.NoPromiscuous && options.Interface != PacketCaptureOptions.AnyInterface,
            Direction = options.Direction,
            Immediate = options.Immediate,
            NanosecondTimestamps = true,
            FilterExpression = options.Expression,
        };
        CliFilter.ConfigureLive(options, capture);
        if (options.BufferKiB is { } kib) capture.SizeRing(kib * 1024);
        return capture;
    }
}

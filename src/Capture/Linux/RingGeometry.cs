using Capture.Linux.Interop;

namespace Capture.Linux;

/// <summary>Turns the ring options into a valid <c>tpacket_req3</c>, rejecting impossible sizes with a message
/// that says which option is wrong before the kernel answers a bare EINVAL.</summary>
internal static class RingGeometry
{
    /// <summary>The kernel maps the ring with a 32-bit size.</summary>
    internal const long MaximumRingSize = uint.MaxValue;

    /// <summary>Frame size used only to count frames; V3 packs packets of any length into blocks.</summary>
    private const int NominalFrameSize = 2048;

    internal static TPacketRequest3 Compute(PacketCaptureOptions options)
    {
        var page = Environment.SystemPageSize;
        var blockSize = options.BlockSize;
        if (blockSize < page || blockSize % page != 0 || (blockSize & (blockSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(options), blockSize,
                $"BlockSize must be a power of two and a multiple of the page size ({page} bytes)");
        if (options.RingSize < blockSize)
            throw new ArgumentOutOfRangeException(nameof(options), options.RingSize, $"RingSize must hold at least one block of {blockSize} bytes");
        if (options.RingSize > MaximumRingSize)
            throw RingErrors.Refused(options.DeviceLabel, options.RingSize, $"the kernel maps at most {MaximumRingSize} bytes");
        var available = AvailableMemory();
        if (available > 0 && options.RingSize > available)
            throw RingErrors.Refused(options.DeviceLabel, options.RingSize, $"only {available} bytes of memory are available");

        var blockCount = (uint)(options.RingSize / blockSize);
        var timeout = options.Immediate ? 1 : Math.Max(1, (int)Math.Ceiling(options.BlockTimeout.TotalMilliseconds));
        var framesPerBlock = (uint)(blockSize / NominalFrameSize);
        return new TPacketRequest3
        {
            BlockSize = (uint)blockSize,
            BlockCount = blockCount,
            FrameSize = NominalFrameSize,
            FrameCount = framesPerBlock * blockCount,
            RetireBlockTimeoutMs = (uint)timeout,
        };
    }

    /// <summary>MemAvailable from /proc/meminfo in bytes, or 0 when unknown.</summary>
    private static long AvailableMemory()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var digits = line.AsSpan("MemAvailable:".Length).Trim().TrimEnd("kB").Trim();
                return long.TryParse(digits, out var kib) ? kib * 1024 : 0;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}

using Wirecap.Linux.Interop;
using static Wirecap.Linux.Interop.PacketSocketConstants;

namespace Wirecap.Linux;

/// <summary>Turns the ring options into a valid <c>tpacket_req3</c> (blocks) or <c>tpacket_req</c> (immediate mode's
/// frame slots), rejecting impossible sizes with a message that says which option is wrong before the kernel answers
/// a bare EINVAL.</summary>
internal static class RingGeometry
{
    /// <summary>The kernel maps the ring with a 32-bit size.</summary>
    internal const long MaximumRingSize = uint.MaxValue;

    /// <summary>Frame size used only to count frames; V3 packs packets of any length into blocks.</summary>
    private const int NominalFrameSize = 2048;

    /// <summary>The longest packet a slot makes room for: 64 KiB plus an Ethernet header and a VLAN tag, the
    /// largest a GSO/GRO packet normally gets (libpcap sizes its V2 frames the same way on offloading devices).
    /// A longer packet is cut to the slot; its original length is still reported.</summary>
    internal const int MaximumSlotPacket = 65535 + 18;

    internal static TPacketRequest3 ComputeBlocks(PacketCaptureOptions options)
    {
        var blockSize = ValidatedBlockSize(options);
        var blockCount = (uint)(options.RingSize / blockSize);
        var timeout = Math.Max(1, (int)Math.Ceiling(options.BlockTimeout.TotalMilliseconds));
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

    /// <summary>Slots big enough for the snapshot length (at most <see cref="MaximumSlotPacket"/>) after the frame
    /// header, its address, the kernel's 16 bytes of link-header room and <paramref name="reserve"/>, in blocks of
    /// <see cref="PacketCaptureOptions.BlockSize"/> or larger: a block holds whole slots only, so one that fits few
    /// of them wastes its tail, and blocks grow (within the ring) until they hold <see cref="SlotsPerBlock"/>.</summary>
    internal static TPacketRequest ComputeSlots(PacketCaptureOptions options, int reserve)
    {
        var blockSize = (long)ValidatedBlockSize(options);
        var packetRoom = Math.Min(options.SnapLength, MaximumSlotPacket);
        var frameSize = Align(Align(SlotRing.HeaderLength + 16) + reserve + packetRoom);
        while (blockSize < frameSize || (blockSize < (long)frameSize * SlotsPerBlock && blockSize * 2 <= options.RingSize)) blockSize *= 2;
        var blockCount = Math.Max(1, options.RingSize / blockSize);
        if (blockSize * blockCount > MaximumRingSize) throw RingErrors.Refused(options.DeviceLabel, blockSize * blockCount, $"the kernel maps at most {MaximumRingSize} bytes");
        var framesPerBlock = blockSize / frameSize;
        return new TPacketRequest
        {
            BlockSize = (uint)blockSize,
            BlockCount = (uint)blockCount,
            FrameSize = (uint)frameSize,
            FrameCount = (uint)(framesPerBlock * blockCount),
        };
    }

    /// <summary>Slots a block should hold at least, so that the unused tail of each block stays under an eighth.</summary>
    internal const int SlotsPerBlock = 8;

    private static int Align(int length) => (length + FrameAlignment - 1) & ~(FrameAlignment - 1);

    private static int ValidatedBlockSize(PacketCaptureOptions options)
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
        return blockSize;
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

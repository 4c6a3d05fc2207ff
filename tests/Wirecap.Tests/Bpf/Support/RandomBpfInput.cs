using Wirecap.Bpf;

namespace Wirecap.Tests.Bpf.Support;

/// <summary>Random packets (empty, short, realistic, junk) and random packet metadata for filter runs.</summary>
public static class RandomBpfInput
{
    public static byte[] Packet(Random random) => random.Next(10) switch
    {
        0 => [],
        1 or 2 => Bytes(random, random.Next(1, 16)),
        3 or 4 => Bytes(random, random.Next(16, 200)),
        _ => SampleFrames.Next(random),
    };

    /// <summary>
    /// Metadata with every field random, including headroom, header offsets inside or outside the
    /// buffer, a linear length shorter than the packet, and a deterministic random-number source.
    /// </summary>
    public static BpfContext Context(Random random, int bufferLength)
    {
        int dataOffset = random.Next(4) == 0 ? random.Next(bufferLength + 1) : 0;
        int dataLength = bufferLength - dataOffset;
        return new BpfContext
        {
            Protocol = (ushort)(random.Next(3) == 0 ? 0x0800 : random.Next(65536)),
            PacketType = (LinuxPacketType)random.Next(6),
            InterfaceIndex = random.Next(3) == 0 ? -random.Next(10) : random.Next(1000),
            Mark = (uint)random.NextInt64(1L << 32),
            Queue = (ushort)random.Next(65536),
            HardwareType = (ushort)random.Next(1000),
            ReceiveHash = (uint)random.NextInt64(1L << 32),
            Cpu = random.Next(64),
            VlanTci = (ushort)random.Next(65536),
            VlanTagPresent = random.Next(2) == 0,
            VlanTpid = random.Next(2) == 0 ? (ushort)0x8100 : (ushort)random.Next(65536),
            LibpcapVlanAuxiliaryData = random.Next(2) == 0,
            WireLength = random.Next(3) switch { 0 => 0, 1 => (uint)dataLength, _ => (uint)random.NextInt64(1L << 32) },
            DataOffset = dataOffset,
            LinkLayerHeaderOffset = random.Next(-dataOffset - 4, dataLength + 4),
            LinkLayerHeaderMissing = random.Next(6) == 0,
            NetworkHeaderOffset = random.Next(-dataOffset - 4, dataLength + 4),
            LinearLength = random.Next(3) == 0 ? random.Next(-2, dataLength + 2) : 0,
        };
    }

    /// <summary>A random-number source that replays the same sequence for every copy made from one seed.</summary>
    public static Func<uint> RandomSource(int seed)
    {
        var random = new Random(seed);
        return () => (uint)random.NextInt64(1L << 32);
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}

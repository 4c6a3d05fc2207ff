namespace Wirecap.Formats;

// Packet blocks: Enhanced (6), Simple (3) and the obsolete Packet block (2).
public sealed partial class PcapNgReader
{
    // The fixed part of an Enhanced or obsolete Packet block, before the packet data.
    private const int PacketHeaderLength = 28;

    private void ParseEnhancedPacket(int blockLength)
    {
        var block = Input.Peek(0, PacketHeaderLength);
        uint interfaceId = ReadUInt32(block[8..]);
        var clock = InterfaceFor(interfaceId, 8);
        ulong units = ((ulong)ReadUInt32(block[12..]) << 32) | ReadUInt32(block[16..]);
        uint captured = ReadUInt32(block[20..]);
        uint original = ReadUInt32(block[24..]);
        PublishPacket(blockLength, interfaceId, clock, units, captured, original, PacketHeaderLength, 20, dropsField: null);
    }

    private void ParseObsoletePacket(int blockLength)
    {
        var block = Input.Peek(0, PacketHeaderLength);
        uint interfaceId = ReadUInt16(block[8..]);
        ushort drops = ReadUInt16(block[10..]);
        var clock = InterfaceFor(interfaceId, 8);
        ulong units = ((ulong)ReadUInt32(block[12..]) << 32) | ReadUInt32(block[16..]);
        uint captured = ReadUInt32(block[20..]);
        uint original = ReadUInt32(block[24..]);
        // 0xffff means the drop count is unknown.
        PublishPacket(blockLength, interfaceId, clock, units, captured, original, PacketHeaderLength, 20, drops == 0xffff ? null : drops);
    }

    private void ParseSimplePacket(int blockLength)
    {
        InterfaceFor(0, 0);
        var iface = _interfaces[0];
        uint original = ReadUInt32(Input.Peek(8, 4));
        const int dataOffset = 12;
        int room = blockLength - dataOffset - 4;
        // The captured length is implied: the original length cut by the snap length.
        long captured = Math.Min(original, LinkTypes.EffectiveSnapLength(iface.LinkType, iface.SnapLength));
        if (captured > room)
            throw Malformed(8, $"simple packet of original length {original} needs {captured} bytes but the block holds {room}");
        CheckCapturedLength((uint)captured, iface, 0, 8);
        // No timestamp in a simple packet block: reported as the epoch, as libpcap does, and marked as unknown.
        SetCurrent(blockLength, dataOffset, (int)captured, 0, ClampLength(original), iface.LinkType, 0);
        SetCurrentTimestampUnknown();
    }

    private void PublishPacket(int blockLength, uint interfaceId, InterfaceClock clock, ulong units,
        uint captured, uint original, int dataOffset, int capturedFieldOffset, ulong? dropsField)
    {
        var iface = _interfaces[(int)interfaceId];
        int room = blockLength - dataOffset - 4;
        if (captured > (uint)room)
            throw Malformed(capturedFieldOffset, $"captured length {captured} overruns the {blockLength}-byte packet block");
        CheckCapturedLength(captured, iface, interfaceId, capturedFieldOffset);
        if (!clock.TryToNanoseconds(units, out long timestamp))
            throw Malformed(12, $"timestamp {units} of interface {interfaceId} does not fit in 64-bit nanoseconds since 1970");
        int optionsOffset = dataOffset + (((int)captured + 3) & ~3);
        if (optionsOffset > blockLength - 4) optionsOffset = blockLength - 4;
        var options = Input.Contiguous(optionsOffset, blockLength - 4 - optionsOffset);
        ValidateOptions(options, optionsOffset);
        SetCurrent(blockLength, dataOffset, (int)captured, timestamp, ClampLength(original), iface.LinkType, (int)interfaceId);

        uint flags = 0;
        ulong? drops = dropsField, packetId = null;
        int hashOffset = 0, hashLength = 0;
        if (!options.IsEmpty)
        {
            var reader = new PcapNgOptionReader(options, _bigEndian);
            while (reader.MoveNext())
            {
                switch (reader.Code)
                {
                    case PcapNgOption.EpbFlags when reader.Value.Length >= 4:
                        flags = reader.ValueUInt32();
                        break;
                    case PcapNgOption.EpbDropCount when reader.Value.Length >= 8:
                        drops = reader.ValueUInt64();
                        break;
                    case PcapNgOption.EpbPacketId when reader.Value.Length >= 8:
                        packetId = reader.ValueUInt64();
                        break;
                    case PcapNgOption.EpbHash when reader.Value.Length >= 1 && hashLength == 0:
                        // The block starts at the input's first unconsumed byte, so this is also the offset there.
                        hashOffset = optionsOffset + OffsetWithin(options, reader.Value);
                        hashLength = reader.Value.Length;
                        break;
                }
            }
        }
        SetCurrentOptions(optionsOffset, options.Length, _bigEndian, flags, drops, packetId, hashOffset, hashLength);
    }

    private static int OffsetWithin(ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner) =>
        (int)System.Runtime.CompilerServices.Unsafe.ByteOffset(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(outer),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(inner));

    /// <summary>
    /// Unlike a pcap record (cut to the snap length), a pcapng packet longer than its interface's snap length
    /// is an error, as in libpcap: the snap length is the IDB's, or the link type's largest when the IDB gives 0.
    /// </summary>
    private void CheckCapturedLength(uint captured, CaptureInterface iface, uint interfaceId, int fieldOffset)
    {
        if (captured > (uint)Options.EffectiveMaxPacketLength)
            throw Malformed(fieldOffset, $"captured length {captured} is larger than the {Options.EffectiveMaxPacketLength}-byte limit");
        int snapLength = LinkTypes.EffectiveSnapLength(iface.LinkType, iface.SnapLength);
        if (captured > (uint)snapLength)
            throw Malformed(fieldOffset, $"captured length {captured} is larger than the snap length {snapLength} of interface {interfaceId}");
    }

    private InterfaceClock InterfaceFor(uint interfaceId, int fieldOffset)
    {
        if (interfaceId >= (uint)_interfaces.Count)
            throw Malformed(fieldOffset, _interfaces.Count == 0
                ? $"{BlockName(_blockType)} block for interface {interfaceId} before any interface description"
                : $"{BlockName(_blockType)} block for interface {interfaceId}, but the section describes only {_interfaces.Count}");
        return _clocks[interfaceId];
    }

    private void ValidateOptions(ReadOnlySpan<byte> options, int optionsOffset)
    {
        int bad = PcapNgOptionReader.Validate(options, _bigEndian);
        if (bad >= 0)
            throw Malformed(optionsOffset + bad, "option length overruns the end of the block");
    }

    private static int ClampLength(uint length) => length > int.MaxValue ? int.MaxValue : (int)length;
}

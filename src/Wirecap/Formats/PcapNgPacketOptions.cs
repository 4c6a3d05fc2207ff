namespace Wirecap.Formats;

/// <summary>
/// The packet options a record names (comments, epb_flags, the first epb_hash, epb_dropcount, epb_packetid) and
/// the others, which a writer copies from the record's options area as they are.
/// </summary>
internal static class PcapNgPacketOptions
{
    /// <summary>Whether the option at hand is one the record names; <paramref name="hashSeen"/> tracks the first epb_hash.</summary>
    public static bool IsNamed(ushort code, ref bool hashSeen)
    {
        switch (code)
        {
            case PcapNgOptionReader.Comment or PcapNgOption.EpbFlags or PcapNgOption.EpbDropCount or PcapNgOption.EpbPacketId:
                return true;
            case PcapNgOption.EpbHash when !hashSeen:
                hashSeen = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The options of <paramref name="options"/> the record does not name, as <see cref="CaptureOption"/>s.</summary>
    public static IReadOnlyList<CaptureOption> Others(ReadOnlySpan<byte> options, bool bigEndian)
    {
        List<CaptureOption>? others = null;
        bool hashSeen = false;
        var reader = new PcapNgOptionReader(options, bigEndian);
        while (reader.MoveNext())
        {
            if (!IsNamed(reader.Code, ref hashSeen))
                (others ??= []).Add(PcapNgOptionOrder.Read(PcapNgBlockType.EnhancedPacket, reader.Code, reader.Value, bigEndian));
        }
        return others is null ? [] : others;
    }
}

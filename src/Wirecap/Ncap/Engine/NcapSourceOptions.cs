using Wirecap.Decoding;
using Wirecap.Linux;

namespace Wirecap.Ncap;

/// <summary>Per-source settings common to every kind of source.</summary>
public class NcapSourceOptions
{
    /// <summary>Stamp applied to user1 of every message from the source.</summary>
    public NcapUserStamp? User1 { get; init; }

    /// <summary>Stamp applied to user2 of every message from the source.</summary>
    public NcapUserStamp? User2 { get; init; }

    /// <summary>How frames become messages for this source (the engine's default when null).</summary>
    public NcapConversionOptions? Conversion { get; init; }
}

/// <summary>Settings of an interface source (ncap's <c>add_if</c>).</summary>
public sealed class NcapInterfaceOptions : NcapSourceOptions
{
    /// <summary>A pcap-filter expression run in the kernel (AND-ed with the engine filter's kernel part).</summary>
    public string? Filter { get; init; }

    /// <summary>Receive frames addressed to other hosts.</summary>
    public bool Promiscuous { get; init; }

    /// <summary>Capture length per frame; frames cut by it are counted as truncated, as ncap drops them.</summary>
    public int SnapLength { get; init; } = 65_536;

    /// <summary>Which frames the kernel hands over: received, sent or both (the default).</summary>
    public PacketDirection Direction { get; init; } = PacketDirection.Both;

    /// <summary>Size of the kernel's receive ring in bytes, null for the capture's default; a small ring gets smaller
    /// blocks (see <see cref="PacketCaptureOptions.SizeRing"/>). A ring the kernel cannot provide fails
    /// <see cref="NcapEngine.AddInterface"/> with a <see cref="RingAllocationException"/>.</summary>
    public long? RingSize { get; init; }
}

namespace Wirecap.Decoding;

/// <summary>How frames become NCAP messages. The defaults do what <c>ncaptool -p</c> does where
/// ncap's behaviour is correct (see <see cref="NcapConverter"/>).</summary>
public sealed class NcapConversionOptions
{
    /// <summary>VLAN ids whose tagged frames are converted. Null (default, as ncaptool): tagged
    /// frames are dropped. A set containing 0 accepts every tag; otherwise the outer tag's
    /// 12-bit id must be in the set and untagged frames are dropped. (ncap compares the whole
    /// TCI, dropping every frame with a priority; this compares the VLAN id only.)</summary>
    public IReadOnlySet<int>? Vlans { get; init; }

    /// <summary>Convert TCP segments (ncap drops them): ports, the raw sequence number as the
    /// offset, and SYN/FIN/RST as first/last/reset segment flags.</summary>
    public bool IncludeTcp { get; init; }

    /// <summary>Convert ICMPv6 too, as an ICMP message over IPv6 (ncap drops it).</summary>
    public bool IncludeIcmpv6 { get; init; }

    /// <summary>Reassemble IPv4/IPv6 fragments before converting, as ncap does (the message gets the
    /// timestamp of the fragment that completes the datagram). Used by the stateful writers
    /// (<see cref="Wirecap.Formats.Ncap.NcapCaptureWriter"/>); the stateless
    /// <see cref="NcapConverter.TryConvert"/> reports fragments as <see cref="NcapConversionResult.Fragment"/>.
    /// Default true.</summary>
    public bool ReassembleFragments { get; init; } = true;

    /// <summary>Shared default options.</summary>
    public static NcapConversionOptions Default { get; } = new();
}

/// <summary>Why a frame did or did not become an NCAP message.</summary>
public enum NcapConversionResult
{
    /// <summary>The frame was converted.</summary>
    Converted,
    /// <summary>The link type has no decoder.</summary>
    UnsupportedLinkType,
    /// <summary>The frame was not captured whole (captured length below the original length).</summary>
    Truncated,
    /// <summary>VLAN-tagged and not allowed by <see cref="NcapConversionOptions.Vlans"/>, or untagged and a VLAN list is set.</summary>
    VlanRejected,
    /// <summary>Not IPv4 or IPv6 (ARP and the like).</summary>
    NotIp,
    /// <summary>A header is cut short or inconsistent.</summary>
    Malformed,
    /// <summary>An IP fragment (the stateless converter does not reassemble; a writer that does
    /// counts here the fragments it held or gave up on).</summary>
    Fragment,
    /// <summary>A transport the options do not convert (TCP, ICMPv6, others).</summary>
    UnsupportedProtocol,
}

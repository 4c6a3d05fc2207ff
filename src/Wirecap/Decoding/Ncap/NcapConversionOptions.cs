namespace Wirecap.Decoding;

/// <summary>How <see cref="FrameToNcapConverter"/> turns frames into NCAP messages. The defaults are the
/// engine's (TCP and ICMPv6 included, TCP checksums verified); <see cref="Ncaptool"/> converts exactly what
/// <c>ncaptool -p</c> converts.</summary>
public sealed class NcapConversionOptions
{
    /// <summary>
    /// ncap's VLAN list: null (or empty, as ncaptool) takes untagged frames only; 0 in the list takes every tag
    /// and untagged frames; otherwise the outer tag's 12-bit VLAN id must be listed and untagged frames are
    /// dropped (ncap compared the whole TCI, so a priority bit made it miss).
    /// </summary>
    public IReadOnlySet<int>? Vlans { get; init; }

    /// <summary>Produce TCP messages (ncap never did): ports, the segment's offset in its stream and
    /// SYN/FIN/RST as first/last/reset segment flags. Default true.</summary>
    public bool IncludeTcp { get; init; } = true;

    /// <summary>Produce ICMPv6 messages, as ICMP over IPv6 (ncap dropped them). Default true.</summary>
    public bool IncludeIcmpv6 { get; init; } = true;

    /// <summary>Verify TCP checksums and set the checksum-failed flag (segments are delivered anyway). Default true.</summary>
    public bool VerifyTcpChecksums { get; init; } = true;

    /// <summary>Fragment reassembly limits (time and memory).</summary>
    public ReassemblyOptions Reassembly { get; init; } = new();

    /// <summary>TCP stream tracking limits.</summary>
    public TcpStreamOptions Tcp { get; init; } = new();

    /// <summary>The engine's defaults.</summary>
    public static NcapConversionOptions Default { get; } = new();

    /// <summary>What <c>ncaptool -p</c> converts: UDP and ICMP only, untagged frames only, fragments reassembled.</summary>
    public static NcapConversionOptions Ncaptool { get; } = new() { IncludeTcp = false, IncludeIcmpv6 = false };
}

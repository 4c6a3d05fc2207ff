using Wirecap.Decoding;

namespace Wirecap.Ncap;

/// <summary>How frames become NCAP messages.</summary>
public sealed class NcapDecoderOptions
{
    /// <summary>
    /// ncap's VLAN list: null (or empty) takes untagged frames only; 0 in the list takes every tag;
    /// otherwise the 12-bit VLAN ids listed (ncap compared the whole TCI, so a priority bit made it miss).
    /// </summary>
    public IReadOnlySet<int>? Vlans { get; init; }

    /// <summary>Produce TCP messages (ncap never did). Default true.</summary>
    public bool IncludeTcp { get; init; } = true;

    /// <summary>Produce ICMPv6 messages (ncap dropped them). Default true.</summary>
    public bool IncludeIcmpv6 { get; init; } = true;

    /// <summary>Verify TCP checksums and set the checksum-failed flag (segments are delivered anyway). Default true.</summary>
    public bool VerifyTcpChecksums { get; init; } = true;

    /// <summary>Fragment reassembly limits (time and memory).</summary>
    public ReassemblyOptions Reassembly { get; init; } = new();

    /// <summary>TCP stream tracking limits.</summary>
    public TcpStreamOptions Tcp { get; init; } = new();
}

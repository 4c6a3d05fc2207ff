using Wirecap.Formats.Ncap;
namespace Wirecap.Ncap;

/// <summary>One term of a filter family: a user-space test and, where libpcap syntax can say it, a kernel prefilter.</summary>
internal interface INcapRule
{
    bool Matches(in NcapRecord message);

    /// <summary>A pcap-filter expression true for every message this rule accepts (a superset), or null when none helps.</summary>
    string? KernelExpression { get; }
}

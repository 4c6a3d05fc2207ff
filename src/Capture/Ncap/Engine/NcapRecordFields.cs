using Capture.Formats.Ncap;

namespace Capture.Ncap;

/// <summary>Views an NCAP record as the fields filter rules look at.</summary>
internal static class NcapRecordFields
{
    public static NcapFields ToFields(this in NcapRecord record) => new()
    {
        IsIPv6 = record.Network == NcapNetwork.IPv6,
        Source = record.Source,
        Destination = record.Destination,
        Transport = record.Transport switch
        {
            NcapTransport.Udp => NcapFilterTransport.Udp,
            NcapTransport.Tcp => NcapFilterTransport.Tcp,
            _ => NcapFilterTransport.Icmp,
        },
        SourcePort = record.SourcePort,
        DestinationPort = record.DestinationPort,
        IcmpType = record.IcmpType,
        IcmpCode = record.IcmpCode,
        Payload = record.Payload,
    };
}

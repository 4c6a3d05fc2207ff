namespace Wirecap.Nats;

/// <summary>What one JetStream message of a capture holds. Either way a message is complete on its own (a pcapng
/// section with its interface descriptions, or an NCAP file header with its messages), so any one can be read,
/// skipped or replayed without the others.</summary>
public enum JetStreamBatchFormat
{
    /// <summary>A pcapng section: section header, interface descriptions, enhanced packet blocks.</summary>
    PcapNg,
    /// <summary>An NCAP stream: file header and NCAP messages.</summary>
    Ncap,
}

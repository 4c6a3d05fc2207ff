namespace Wirecap.Formats;

/// <summary>Which way a packet went, as recorded in the pcapng epb_flags option (bits 0-1).</summary>
public enum PacketDirection
{
    /// <summary>Not recorded.</summary>
    Unknown = 0,
    /// <summary>Received by the interface.</summary>
    Inbound = 1,
    /// <summary>Sent by the interface.</summary>
    Outbound = 2,
}

namespace Wirecap;

/// <summary>
/// Which way a packet went: what a packet records (the pcapng <c>epb_flags</c> option, bits 0-1, and the
/// Linux packet type), and which packets a live capture sees (tcpdump's <c>-Q in|out|inout</c>).
/// </summary>
/// <remarks>One enum for both so that a packet's direction and a capture's choice compare directly:
/// a capture with direction <c>d</c> keeps a packet going <c>p</c> when <c>(d &amp; p) != 0</c>.
/// <see cref="Both"/> is a capture's choice only; pcapng reserves the value 3 in a packet's flags.</remarks>
[Flags]
public enum PacketDirection
{
    /// <summary>Not recorded (a packet); a capture refuses it.</summary>
    Unknown = 0,
    /// <summary>Received by the interface.</summary>
    Inbound = 1,
    /// <summary>Sent by the interface.</summary>
    Outbound = 2,
    /// <summary>Received and sent: a capture's default.</summary>
    Both = Inbound | Outbound,
}

namespace Wirecap.Linux;

/// <summary>Whether an interface is plugged into a network, as libpcap reports it (PCAP_IF_CONNECTION_STATUS).</summary>
public enum DeviceConnection
{
    /// <summary>The driver could not tell.</summary>
    Unknown,
    /// <summary>The link is up (for wireless: associated).</summary>
    Connected,
    /// <summary>The link is down (for wireless: not associated).</summary>
    Disconnected,
    /// <summary>Not a notion for this kind of device (loopback, drivers without a link state).</summary>
    NotApplicable,
}

namespace Wirecap.Linux;

/// <summary>How the kernel spreads packets over the sockets of a fanout group (<c>PACKET_FANOUT_*</c>).</summary>
public enum FanoutMode
{
    /// <summary>By flow hash: all packets of a flow go to the same socket.</summary>
    Hash = 0,

    /// <summary>Round robin.</summary>
    LoadBalance = 1,

    /// <summary>By the CPU that received the packet.</summary>
    Cpu = 2,

    /// <summary>Fill one socket, move to the next when it is full.</summary>
    Rollover = 3,

    /// <summary>Random choice.</summary>
    Random = 4,

    /// <summary>By the receive queue of the network card.</summary>
    QueueMapping = 5,
}

/// <summary>Membership of a fanout group: sockets with the same <paramref name="GroupId"/> on the same
/// interface share its packets, each packet going to exactly one of them.</summary>
/// <param name="GroupId">Group identifier (16 bits), shared across processes.</param>
/// <param name="Mode">How packets are spread.</param>
/// <param name="Defragment">Reassemble IP fragments before choosing a socket, so fragments of one datagram stay together.</param>
/// <param name="RolloverWhenFull">Send a packet to another socket of the group when its chosen socket's ring is full.</param>
public sealed record FanoutOptions(ushort GroupId, FanoutMode Mode = FanoutMode.Hash, bool Defragment = false, bool RolloverWhenFull = false);

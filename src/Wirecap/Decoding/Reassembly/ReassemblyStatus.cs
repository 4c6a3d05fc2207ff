namespace Wirecap.Decoding;

/// <summary>What <see cref="FragmentReassembler.Submit"/> did with a packet.</summary>
internal enum ReassemblyStatus
{
    /// <summary>Not a fragment (or not IP): the datagram is the packet itself.</summary>
    NotFragment,
    /// <summary>A fragment was stored; the datagram is not complete yet.</summary>
    Incomplete,
    /// <summary>This fragment completed a datagram, which is returned.</summary>
    Complete,
    /// <summary>The fragment was discarded (see <see cref="FragmentReassembler.Statistics"/> for why).</summary>
    Dropped,
}

namespace Wirecap.Decoding;

/// <summary>How tcpdump reports a wrong checksum: the value that should have been stored.</summary>
internal static class Checksums
{
    /// <summary>tcpdump's <c>in_cksum_shouldbe</c>: from the stored value and the checksum computed over the data with
    /// the stored value in it (zero when right), the value that belongs in the field.</summary>
    public static ushort ShouldBe(ushort stored, ushort computed)
    {
        uint sum = (uint)stored + computed;
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)sum;
    }
}

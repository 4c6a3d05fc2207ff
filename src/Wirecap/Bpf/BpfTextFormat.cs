namespace Wirecap.Bpf;

/// <summary>The three text forms of a program that <c>tcpdump</c> prints (libpcap's <c>bpf_dump</c>).</summary>
public enum BpfTextFormat
{
    /// <summary><c>tcpdump -d</c>: one readable line per instruction, e.g. <c>(000) ldh      [12]</c>.</summary>
    Listing,
    /// <summary><c>tcpdump -dd</c>: a C array initialiser, e.g. <c>{ 0x28, 0, 0, 0x0000000c },</c>.</summary>
    CArray,
    /// <summary><c>tcpdump -ddd</c>: the instruction count, then <c>code jt jf k</c> in decimal per line.</summary>
    Decimal,
}

namespace Wirecap.Filter.CodeGen;

/// <summary>Data-link type numbers (<c>DLT_*</c>) the compiler knows, and their libpcap names.</summary>
internal static class Dlt
{
    public const int Null = 0;
    public const int Ethernet = 1;
    public const int Ppp = 9;
    public const int Raw = 12;
    public const int RawOpenBsd = 14;
    public const int LinkTypeRaw = 101;
    public const int Loop = 108;
    public const int LinuxSll = 113;
    public const int Ipv4 = 228;
    public const int Ipv6 = 229;
    public const int LinuxSll2 = 276;

    public static string Name(int dlt) => dlt switch
    {
        Null => "DLT_NULL",
        Ethernet => "DLT_EN10MB",
        Ppp => "DLT_PPP",
        Raw or RawOpenBsd or LinkTypeRaw => "DLT_RAW",
        Loop => "DLT_LOOP",
        LinuxSll => "DLT_LINUX_SLL",
        Ipv4 => "DLT_IPV4",
        Ipv6 => "DLT_IPV6",
        LinuxSll2 => "DLT_LINUX_SLL2",
        _ => LinkTypes.GetName(LinkTypes.FromDlt(dlt)) is { } name ? "DLT_" + name : $"DLT {dlt}",
    };
}

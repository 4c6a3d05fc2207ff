namespace Wirecap.Filter.Syntax;

/// <summary>Direction qualifier of a primitive.</summary>
internal enum DirectionQualifier
{
    Default, Src, Dst, SrcOrDst, SrcAndDst, Addr1, Addr2, Addr3, Addr4, Ra, Ta,
}

/// <summary>Address-type qualifier of a primitive.</summary>
internal enum AddressQualifier
{
    Default, Host, Net, Port, PortRange, Gateway, Proto, ProtoChain,
}

/// <summary>
/// The <c>[proto] [dir] [type]</c> qualifiers of a primitive; a bare id after <c>and</c>/<c>or</c>
/// reuses the previous primitive's qualifiers. <see cref="Keyword.None"/> means no protocol qualifier.
/// </summary>
internal sealed record Qualifiers(Keyword Protocol, DirectionQualifier Direction, AddressQualifier Address)
{
    public static string Spell(DirectionQualifier direction) => direction switch
    {
        DirectionQualifier.Src => "src",
        DirectionQualifier.Dst => "dst",
        DirectionQualifier.SrcOrDst => "src or dst",
        DirectionQualifier.SrcAndDst => "src and dst",
        DirectionQualifier.Addr1 => "addr1",
        DirectionQualifier.Addr2 => "addr2",
        DirectionQualifier.Addr3 => "addr3",
        DirectionQualifier.Addr4 => "addr4",
        DirectionQualifier.Ra => "ra",
        DirectionQualifier.Ta => "ta",
        _ => "",
    };

    public static string Spell(AddressQualifier address) => address switch
    {
        AddressQualifier.Host => "host",
        AddressQualifier.Net => "net",
        AddressQualifier.Port => "port",
        AddressQualifier.PortRange => "portrange",
        AddressQualifier.Gateway => "gateway",
        AddressQualifier.Proto => "proto",
        AddressQualifier.ProtoChain => "protochain",
        _ => "",
    };
}

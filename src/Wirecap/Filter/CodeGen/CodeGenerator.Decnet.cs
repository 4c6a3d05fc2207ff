using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    /// <summary>
    /// <c>decnet [dir] host AREA.NODE</c>. The DECnet routing header comes in short and long
    /// forms, each possibly preceded by a pad byte; the address is little-endian.
    /// </summary>
    private Condition DecnetHost(DirectionQualifier dir, string text, int position)
    {
        var parts = text.Split('.');
        if (parts.Length != 2 || !uint.TryParse(parts[0], out var area) || !uint.TryParse(parts[1], out var node)
            || area > 63 || node > 1023)
            throw new FilterException($"invalid DECnet address '{TokenQuote.Of(text)}'", position);
        var address = (area << 10) | node;
        var swapped = ((address << 8) & 0xff00) | ((address >> 8) & 0xff);
        var payload = _layout.NetworkBase;

        Condition At(int shortOffset, int longOffset) => Condition.Any(
            Condition.And(Compare(payload, 2, 1, 0x02, 0x07), Compare(payload, 2 + shortOffset, 2, swapped)),
            Condition.And(Compare(payload, 2, 2, 0x8102, 0xff07), Compare(payload, 2 + 1 + shortOffset, 2, swapped)),
            Condition.And(Compare(payload, 2, 1, 0x06, 0x07), Compare(payload, 2 + longOffset, 2, swapped)),
            Condition.And(Compare(payload, 2, 2, 0x8106, 0xff07), Compare(payload, 2 + 1 + longOffset, 2, swapped)));

        var match = dir switch
        {
            DirectionQualifier.Src => At(3, 15),
            DirectionQualifier.Dst => At(1, 7),
            DirectionQualifier.SrcAndDst => Condition.And(At(3, 15), At(1, 7)),
            _ => Condition.Or(At(3, 15), At(1, 7)),
        };
        return Condition.And(LinkTypeIs(EtherTypes.Decnet), match);
    }
}

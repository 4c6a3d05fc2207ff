using Wirecap.Filter.Syntax;

namespace Wirecap.Filter.CodeGen;

internal sealed partial class CodeGenerator
{
    private const uint Clnp = 0x81;
    private const uint EsIs = 0x82;
    private const uint IsIs = 0x83;
    // 802.2 LLC without SNAP is 3 bytes; the OSI network-layer protocol id follows it.
    private const int LlcHeader = 3;

    /// <summary><c>iso proto N</c>: an OSI frame (LLC SAP 0xFE) whose NLPID is N.</summary>
    private Condition IsoProtocol(uint value, int position)
    {
        if (value > 255)
            throw new FilterException($"ISO protocol {value} greater than maximum 255", position);
        return Condition.And(LinkTypeIs(LlcSaps.IsoNetworkLayer), Compare(_layout.LinkPayload, LlcHeader, 1, value));
    }

    /// <summary><c>isis proto N</c>: an IS-IS PDU of type N (the low 5 bits of its type byte).</summary>
    private Condition IsisPdu(uint type, int position)
    {
        if (type > 31)
            throw new FilterException($"IS-IS PDU type {type} greater than maximum 31", position);
        return Condition.And(IsoProtocol(IsIs, position), Compare(_layout.LinkPayload, LlcHeader + 4, 1, type, 0x1f));
    }

    private Condition IsisPdus(int position, params uint[] types) =>
        Condition.Any(types.Select(t => IsisPdu(t, position)).ToArray());

    private Condition OsiAbbreviation(Keyword protocol, int position) => protocol switch
    {
        Keyword.Clnp => IsoProtocol(Clnp, position),
        Keyword.Esis => IsoProtocol(EsIs, position),
        Keyword.Isis => IsoProtocol(IsIs, position),
        Keyword.L1 => IsisPdus(position, 0x1a, 0x18, 0x12, 0x0f, 0x11),
        Keyword.L2 => IsisPdus(position, 0x1b, 0x19, 0x14, 0x10, 0x11),
        Keyword.Iih => IsisPdus(position, 0x11, 0x0f, 0x10),
        Keyword.Lsp => IsisPdus(position, 0x12, 0x14),
        Keyword.Snp => IsisPdus(position, 0x1b, 0x1a, 0x18, 0x19),
        Keyword.Csnp => IsisPdus(position, 0x18, 0x19),
        Keyword.Psnp => IsisPdus(position, 0x1a, 0x1b),
        _ => throw new FilterException($"'{KeywordTable.Spell(protocol)}' is not supported by this filter compiler", position),
    };
}

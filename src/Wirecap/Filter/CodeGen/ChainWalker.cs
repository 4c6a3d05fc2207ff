using Wirecap.Bpf;

namespace Wirecap.Filter.CodeGen;

/// <summary>
/// The header-chain loop behind <c>protochain</c>: A holds the current next-header value and X the
/// offset of the header it describes; AH (and, after IPv6, the IPv6 extension headers) are
/// skipped until the value is found or a header that ends the chain is reached. It jumps backwards, so it runs only in
/// user space (the Linux kernel refuses loops).
/// </summary>
internal static class ChainWalker
{
    private const uint HopByHop = 0;
    private const uint Routing = 43;
    private const uint Fragment = 44;
    private const uint AuthenticationHeader = 51;
    private const uint NoNextHeader = 59;
    private const uint DestinationOptions = 60;

    public static Block Build(int network, bool ipv6, uint wanted, int slot, Block yes, Block no)
    {
        var loop = new Block(BlockEnd.Branch) { Jump = Ins.Jeq, K = wanted, True = yes };
        Block Skip(uint unitAdd, uint unitSize) => Block.Goto([
            Ins.LoadIndexed(1, network), Ins.Store(slot),
            Ins.LoadIndexed(1, network + 1), Ins.Alu(BpfOpcode.OpAdd, unitAdd), Ins.Alu(BpfOpcode.OpMul, unitSize),
            Ins.AluX(BpfOpcode.OpAdd), Ins.Tax(), Ins.LoadMemory(slot),
        ], loop);
        var extension = Skip(1, 8);
        var authentication = Skip(2, 4);
        var isAuthentication = Block.Branch([], Ins.Jeq, AuthenticationHeader, authentication, no);
        var next = isAuthentication;
        // IPv6 extension headers are skipped only in an IPv6 chain; an IPv4 chain knows just AH.
        if (ipv6)
        {
            foreach (var header in new[] { Fragment, Routing, DestinationOptions, HopByHop })
                next = Block.Branch([], Ins.Jeq, header, extension, next);
        }
        loop.False = Block.Branch([], Ins.Jeq, NoNextHeader, no, next);
        BpfInstruction[] start = ipv6
            ? [Ins.LoadAbsolute(1, network + 6), Ins.LoadXImmediate(40)]
            : [Ins.LoadAbsolute(1, network + 9), Ins.LoadXHeaderLength(network)];
        return Block.Goto(start, loop);
    }
}

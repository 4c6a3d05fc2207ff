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
        var loop = new Block(BlockEnd.Branch) { Jump = Instructions.Jeq, K = wanted, True = yes };
        Block Skip(uint unitAdd, uint unitSize) => Block.Goto([
            Instructions.LoadIndexed(1, network), Instructions.Store(slot),
            Instructions.LoadIndexed(1, network + 1), Instructions.Alu(BpfOpcode.OpAdd, unitAdd), Instructions.Alu(BpfOpcode.OpMul, unitSize),
            Instructions.AluX(BpfOpcode.OpAdd), Instructions.Tax(), Instructions.LoadMemory(slot),
        ], loop);
        var extension = Skip(1, 8);
        var authentication = Skip(2, 4);
        var isAuthentication = Block.Branch([], Instructions.Jeq, AuthenticationHeader, authentication, no);
        var next = isAuthentication;
        // IPv6 extension headers are skipped only in an IPv6 chain; an IPv4 chain knows just AH.
        if (ipv6)
        {
            foreach (var header in new[] { Fragment, Routing, DestinationOptions, HopByHop })
                next = Block.Branch([], Instructions.Jeq, header, extension, next);
        }
        loop.False = Block.Branch([], Instructions.Jeq, NoNextHeader, no, next);
        BpfInstruction[] start = ipv6
            ? [Instructions.LoadAbsolute(1, network + 6), Instructions.LoadXImmediate(40)]
            : [Instructions.LoadAbsolute(1, network + 9), Instructions.LoadXHeaderLength(network)];
        return Block.Goto(start, loop);
    }
}

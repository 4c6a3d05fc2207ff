using Wirecap.Bpf;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// The interpreter fuses a load or <c>and</c> with the <c>jeq</c>/<c>jset</c> after it. These pin the
/// cases where fusing could go wrong: a jump landing on the second half, and a fused load that
/// the fast path cannot do (ancillary, short packet, straddling segments).
/// </summary>
public sealed class FusedInstructionTests
{
    private static readonly BpfContext RawSocket = new() { Protocol = 0x0800, NetworkHeaderOffset = 14, HardwareType = 1 };

    // 0: A = start; 1: to 3 (the jeq half of the pair 2/3) when A is 0x800; 2–3: ldh [12] + jeq #0x800.
    private const string JumpIntoPair = "ld #{0}; jeq #0x800 jt 3 jf 2; ldh [12]; jeq #0x800 jt 4 jf 5; ret #1; ret #2";

    [Test]
    public void A_jump_onto_the_second_half_of_a_fused_pair_skips_the_load()
    {
        byte[] ipv6 = Frames.Udp();
        ipv6[12] = 0x86;
        ipv6[13] = 0xdd;
        var landsOnJeq = Asm.Kernel(string.Format(JumpIntoPair, "0x800"));
        var runsThePair = Asm.Kernel(string.Format(JumpIntoPair, "0"));
        foreach (var filter in Engines(landsOnJeq))
            Assert.That(filter.Run(ipv6), Is.EqualTo(1u), "A kept from ld #0x800, the ldh [12] not run");
        foreach (var filter in Engines(runsThePair))
            Assert.That(filter.Run(ipv6), Is.EqualTo(2u), "ldh [12] read 0x86dd");
    }

    // 2–4: ld [0] + and + jeq fused; 1 jumps onto the and (slot 3) with A = 10.0.0.1.
    private const string JumpIntoTriple =
        "ld #{0}; jeq #0xa000001 jt 3 jf 2; ld [0]; and #0xff000000; jeq #0xa000000 jt 5 jf 6; ret #1; ret #2";

    [TestCase("0xa000001", 1u)]
    [TestCase("0", 2u)]
    public void A_jump_into_a_fused_triple_runs_only_the_rest(string start, uint expected)
    {
        foreach (var filter in Engines(Asm.Kernel(string.Format(JumpIntoTriple, start))))
            Assert.That(filter.Run(Frames.Udp()), Is.EqualTo(expected));
    }

    [TestCase("ldh [proto]; jeq #0x800 jt 2 jf 3; ret #1; ret #2", 1u)]
    [TestCase("ldh [proto]; jeq #0x86dd jt 2 jf 3; ret #1; ret #2", 2u)]
    [TestCase("ldh [98]; jeq #0x6263 jt 2 jf 3; ret #1; ret #2", 1u)]
    [TestCase("ldh [99]; jeq #0 jt 2 jf 3; ret #1; ret #2", 0u)]
    [TestCase("ldb [200]; jeq #0 jt 2 jf 3; ret #1; ret #2", 0u)]
    [TestCase("ld [97]; jeq #0 jt 2 jf 3; ret #1; ret #2", 0u)]
    [TestCase("ldh [20]; jset #0x1fff jt 2 jf 3; ret #1; ret #2", 2u)]
    [TestCase("ldh [20]; jset #0x4000 jt 2 jf 3; ret #1; ret #2", 1u)]
    [TestCase("ld [26]; and #0xff000000; jeq #0xa000000 jt 3 jf 4; ret #1; ret #2", 1u)]
    [TestCase("ld [26]; and #0xff000000; jeq #0xb000000 jt 3 jf 4; ret #1; ret #2", 2u)]
    [TestCase("ld [98]; and #0xff; jeq #0 jt 3 jf 4; ret #1; ret #2", 0u)]
    [TestCase("ldxb 4*([14]&0xf); ldh [x + 16]; jeq #53 jt 3 jf 4; ret #1; ret #2", 1u)]
    [TestCase("ldx #90; ldh [x + 9]; jeq #0 jt 3 jf 4; ret #1; ret #2", 0u)]
    public void Fused_pairs_give_the_unfused_result(string program, uint expected)
    {
        byte[] packet = Frames.Udp();
        var fused = Asm.Kernel(program);
        Assert.That(BpfInterpreter.Run(fused, packet, RawSocket), Is.EqualTo(expected), "contiguous");
        // Every cut point puts some load across or past the first segment: the general path then runs it.
        for (int cut = 0; cut <= packet.Length; cut++)
            Assert.That(BpfInterpreter.Run(fused, Segments.Split(packet, cut), RawSocket), Is.EqualTo(expected), $"cut at {cut}");
    }

    private static IEnumerable<BpfFilter> Engines(BpfProgram program)
    {
        yield return BpfFilter.Create(program, new BpfFilterOptions { Compile = false });
        yield return BpfFilter.Create(program, new BpfFilterOptions { Compile = true });
    }
}

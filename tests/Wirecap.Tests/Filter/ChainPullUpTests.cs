using Wirecap.Bpf;
using Wirecap.Filter.CodeGen;
using Wirecap.Filter.Optimization;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>
/// The chain pull-up on hand-built block graphs: which tests move, which must stay because of a
/// data dependency or a second way into the chain, and that a moved chain means what it meant.
/// </summary>
[TestFixture]
public class ChainPullUpTests
{
    private static BpfInstruction Half(int offset) => Instructions.LoadAbsolute(2, offset);

    /// <summary>ip and (h20 == 1 or h22 == 2 or h20 == 3 or h22 == 4), tested in that order.</summary>
    private static (Block Entry, Block[] Chain) OrChain()
    {
        var accept = Block.Return(1);
        var reject = Block.Return(0);
        var c4 = Block.Branch([Half(22)], Instructions.Jeq, 4, accept, reject);
        var c3 = Block.Branch([Half(20)], Instructions.Jeq, 3, accept, c4);
        var c2 = Block.Branch([Half(22)], Instructions.Jeq, 2, accept, c3);
        var c1 = Block.Branch([Half(20)], Instructions.Jeq, 1, accept, c2);
        return (Block.Branch([Half(12)], Instructions.Jeq, 0x800, c1, reject), [c1, c2, c3, c4]);
    }

    private static List<Block> FollowFalse(Block from)
    {
        var chain = new List<Block>();
        for (var b = from; b.End == BlockEnd.Branch; b = b.False!)
            chain.Add(b);
        return chain;
    }

    private static uint[] Verdicts(Block entry, IEnumerable<byte[]> packets)
    {
        var program = BpfProgram.Create(Emitter.Emit(entry), BpfDialect.Libpcap);
        return packets.Select(p => BpfInterpreter.Run(program, p, new BpfContext { WireLength = (uint)p.Length })).ToArray();
    }

    /// <summary>Frames whose halfwords at 20 and 22 take every value the chains test, and some they do not.</summary>
    private static List<byte[]> Frames()
    {
        var frames = new List<byte[]>();
        foreach (var type in new ushort[] { 0x800, 0x86dd })
        {
            for (ushort a = 0; a <= 5; a++)
            {
                for (ushort b = 0; b <= 5; b++)
                {
                    var frame = new byte[24];
                    frame[12] = (byte)(type >> 8);
                    frame[13] = (byte)type;
                    frame[21] = (byte)a;
                    frame[23] = (byte)b;
                    frame[22] = (byte)(a == 5 ? 1 : 0); // 256+b: a value no test names
                    frames.Add(frame);
                }
            }
        }
        return frames;
    }

    [Test]
    public void An_or_chain_tests_the_value_already_in_A_first()
    {
        var (entry, c) = OrChain();
        var expected = Verdicts(OrChain().Entry, Frames());
        Assert.That(ChainPullUp.Run(entry), Is.True);
        Assert.That(FollowFalse(c[0]), Is.EqualTo(new[] { c[0], c[2], c[1], c[3] }));
        Assert.That(Verdicts(entry, Frames()), Is.EqualTo(expected));
        Assert.That(expected.Distinct().Count(), Is.EqualTo(2), "the frames must tell the chain's outcomes apart");
    }

    [Test]
    public void An_and_chain_tests_the_value_already_in_A_first()
    {
        static (Block Entry, Block[] Chain) AndChain()
        {
            var accept = Block.Return(1);
            var reject = Block.Return(0);
            var c4 = Block.Branch([Half(22)], Instructions.Jgt, 1, accept, reject);
            var c3 = Block.Branch([Half(20)], Instructions.Jgt, 2, c4, reject);
            var c2 = Block.Branch([Half(22)], Instructions.Jgt, 0, c3, reject);
            var c1 = Block.Branch([Half(20)], Instructions.Jgt, 0, c2, reject);
            return (Block.Branch([Half(12)], Instructions.Jeq, 0x800, c1, reject), [c1, c2, c3, c4]);
        }
        var (entry, c) = AndChain();
        var expected = Verdicts(AndChain().Entry, Frames());
        Assert.That(ChainPullUp.Run(entry), Is.True);
        Assert.That(new[] { c[0].True, c[2].True, c[1].True }, Is.EqualTo(new[] { c[2], c[1], c[3] }));
        Assert.That(Verdicts(entry, Frames()), Is.EqualTo(expected));
        Assert.That(expected.Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public void A_test_that_reads_what_a_skipped_test_writes_stays()
    {
        var (entry, c) = OrChain();
        c[1].Statements.Add(Instructions.Store(1));
        c[2].Statements.Insert(0, Instructions.LoadXMemory(1));
        c[2].False = c[3].False;
        Assert.That(ChainPullUp.Run(entry), Is.False);
        Assert.That(FollowFalse(c[0]), Is.EqualTo(c[..3]));
    }

    [Test]
    public void A_skipped_test_that_reads_what_the_moved_test_writes_keeps_it_in_place()
    {
        var (entry, c) = OrChain();
        // The moved test would set X before the skipped one reads it.
        c[1].Statements = [Instructions.LoadIndexed(2, 22)];
        c[2].Statements.Insert(0, Instructions.LoadXImmediate(4));
        entry.Statements.Add(Instructions.LoadXImmediate(0));
        c[2].False = c[3].False;
        Assert.That(ChainPullUp.Run(entry), Is.False);
        Assert.That(FollowFalse(c[0]), Is.EqualTo(c[..3]));
    }

    [Test]
    public void A_chain_whose_exit_reads_A_is_left_in_order()
    {
        // h20 == 1 or h22 == 2 or h20 == 3, then the exit tests whatever A holds: moving the last test
        // up would leave h22 instead of h20 in A there.
        var accept = Block.Return(1);
        var reject = Block.Return(0);
        var exit = Block.Branch([], Instructions.Jeq, 7, accept, reject);
        var c3 = Block.Branch([Half(20)], Instructions.Jeq, 3, accept, exit);
        var c2 = Block.Branch([Half(22)], Instructions.Jeq, 2, accept, c3);
        var c1 = Block.Branch([Half(20)], Instructions.Jeq, 1, accept, c2);
        var entry = Block.Branch([Half(12)], Instructions.Jeq, 0x800, c1, reject);
        Assert.That(ChainPullUp.Run(entry), Is.False);
        Assert.That(FollowFalse(c1), Is.EqualTo(new[] { c1, c2, c3, exit }));
    }

    [Test]
    public void A_test_with_a_second_way_in_is_not_moved()
    {
        var (entry, c) = OrChain();
        entry.False = c[2];
        Assert.That(ChainPullUp.Run(entry), Is.False);
        Assert.That(FollowFalse(c[0]), Is.EqualTo(c));
    }
}

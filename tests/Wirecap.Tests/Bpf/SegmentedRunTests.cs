using Wirecap.Bpf;
using Wirecap.Tests.Bpf.Support;
using NUnit.Framework;

namespace Wirecap.Tests.Bpf;

/// <summary>
/// A packet cut into segments must filter exactly as the same bytes in one span: random programs of
/// both dialects (fused runs included) over random packets, contexts and cut points, so the fast
/// path's hand-over to the general path is exercised at every kind of instruction.
/// </summary>
public sealed class SegmentedRunTests
{
    [TestCase(BpfDialect.Kernel)]
    [TestCase(BpfDialect.Libpcap)]
    public void Split_packets_filter_as_contiguous_ones(BpfDialect dialect)
    {
        int seed = Fuzz.Seed();
        var random = new Random(seed);
        var options = new RandomBpfOptions(dialect)
        {
            BackwardJumps = dialect == BpfDialect.Libpcap,
            ReadBeforeWrite = dialect == BpfDialect.Libpcap,
        };
        for (int i = 0; i < Fuzz.Iterations(400); i++)
        {
            var instructions = RandomBpf.Program(random, options);
            var program = BpfProgram.Create(instructions, dialect);
            for (int j = 0; j < 8; j++)
            {
                byte[] packet = RandomBpfInput.Packet(random);
                var context = RandomBpfInput.Context(random, packet.Length);
                int randomSeed = random.Next();
                uint expected = BpfInterpreter.Run(program, packet, context with { Random = RandomBpfInput.RandomSource(randomSeed) });
                int first = random.Next(packet.Length + 1);
                int second = random.Next(first, packet.Length + 1);
                var split = Segments.Split(packet, first, second);
                uint actual = BpfInterpreter.Run(program, split, context with { Random = RandomBpfInput.RandomSource(randomSeed) });
                if (actual != expected)
                    Assert.Fail($"seed {seed}, program {i}: split at {first}/{second} gave {actual}, contiguous {expected}\n" +
                                $"{BpfText.Listing(instructions)}packet ({packet.Length} bytes): {BpfText.Hex(packet)}\n" +
                                $"context: offset {context.DataOffset}, wire {context.WireLength}, ll {context.LinkLayerHeaderOffset}, " +
                                $"net {context.NetworkHeaderOffset}, linear {context.LinearLength}");
            }
        }
    }
}

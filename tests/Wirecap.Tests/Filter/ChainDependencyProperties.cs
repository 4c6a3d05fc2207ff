using Wirecap.Bpf;
using Wirecap.Filter;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>
/// The chain pull-up moves a test only when no register it reads is written by the tests it jumps
/// over and the other way round. These chains mix terms that go through X and scratch memory
/// (variable offsets, arithmetic, comparisons of two loads) with terms that shift later offsets
/// (VLAN, MPLS, PPPoE), so a dependency the check missed shows as a changed verdict. Optimized and
/// plain programs are compared on zero-padded whole packets, where no load runs past the end (both
/// optimizers drop such loads). The number of expressions scales with CAPTURE_FUZZ_ITERATIONS.
/// </summary>
[TestFixture]
public class ChainDependencyProperties
{
    private static readonly string[] Terms =
    [
        "port 53", "src port 443", "tcp port 80", "udp port 53", "host 10.0.0.1", "ip proto 17", "tcp", "udp",
        "ip6", "icmp", "len > 100", "ip[8] > 64", "tcp[13] & 2 != 0", "ip[6:2] & 0x1fff != 0",
        "ip[ip[0] & 0xf] = 4", "tcp[tcp[12] >> 4] > 0", "tcp[(tcp[12] >> 4) * 4] = 0x47",
        "ip[2:2] - ((ip[0] & 0xf) << 2) > 100", "len - 14 > 100", "udp[8:2] & 0xff = ip[9]", "ip[9] + ip[8] > 80",
        "ip[2:2] / 2 > 40", "ip[8] * 2 = ip[9] + 100", "ip[8] & ip[9] != 0", "tcp[0:2] = tcp[2:2]",
        "vlan", "vlan 10", "mpls", "pppoes", "ip6 proto 17",
    ];

    private static Gen<string> Term() =>
        from term in Gen.Elements(Terms)
        from negate in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select negate ? $"not {term}" : term;

    private static Gen<string> Chain() =>
        from count in Gen.Choose(2, 7)
        from terms in Gen.ListOf(Term(), count)
        from op in Gen.Elements("and", "or")
        select string.Join($" {op} ", terms);

    private static Gen<string> Expressions() => Gen.OneOf(
        Chain(),
        Chain().Select(c => $"not ({c})"),
        from a in Chain() from b in Chain() from op in Gen.Elements("and", "or") select $"({a}) {op} ({b})");

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out var n) ? n : 300;

    [Test]
    public void Chains_through_X_and_scratch_memory_keep_their_verdicts()
    {
        var harvest = new PacketCorpus.Harvest();
        foreach (var term in Terms)
            harvest.Add(term);
        var padded = PacketCorpus.For(1, harvest).Where(p => p.Data.Length == p.WireLength)
            .Select(p => new CorpusPacket([.. p.Data, .. new byte[1024]], p.WireLength, p.Label)).ToList();
        Prop.ForAll(Expressions().ToArbitrary(), expression =>
        {
            BpfProgram plain;
            try
            {
                plain = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
            }
            catch (FilterException)
            {
                return; // e.g. vlan after pppoes, which libpcap refuses as well
            }
            var expected = FilterSemanticsTests.Verdicts(plain, padded);
            BpfProgram optimized;
            try
            {
                optimized = FilterCompiler.Compile(expression, 1, new FilterOptions { Dialect = BpfDialect.Kernel });
            }
            catch (FilterException e) when (e.Reason == "expression rejects all packets")
            {
                Assert.That(expected.Any(v => v != 0), Is.False, expression);
                return;
            }
            var actual = FilterSemanticsTests.Verdicts(optimized, padded);
            for (var i = 0; i < padded.Count; i++)
                Assert.That(actual[i], Is.EqualTo(expected[i]), $"{expression}: optimizer changed the verdict on [{padded[i].Label}]");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Iterations));
    }
}

using Wirecap.Bpf;
using Wirecap.Filter;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Random <c>or</c>/<c>and</c> chains of primitives that test the same few values in interleaved
/// order, the shape the chain pull-up regroups: the optimized program agrees with the
/// unoptimized one and with Debian's libpcap on every whole packet, and passes the kernel
/// dialect's checks. The number of expressions scales with CAPTURE_FUZZ_ITERATIONS.
/// </summary>
[TestFixture]
public class ChainProperties
{
    private static readonly string[] Terms = ChainTerms.All;

    private static Gen<string> Term() =>
        from term in Gen.Elements(Terms)
        from negate in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select negate ? $"not {term}" : term;

    private static Gen<string> Chain() =>
        from count in Gen.Choose(2, 6)
        from terms in Gen.ListOf(Term(), count)
        from op in Gen.Elements("and", "or")
        select string.Join($" {op} ", terms);

    private static Gen<string> Expressions() => Gen.OneOf(
        Chain(),
        Chain().Select(c => $"(tcp or udp) and ({c})"),
        Chain().Select(c => $"not ({c})"),
        from a in Chain() from b in Chain() from op in Gen.Elements("and", "or") select $"({a}) {op} ({b})");

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out var n) ? n : 150;

    [Test]
    public void Random_chains_agree_with_and_without_the_optimizer_and_with_libpcap()
    {
        using var oracle = PcapOracle.Start();
        var harvest = new PacketCorpus.Harvest();
        foreach (var term in Terms)
            harvest.Add(term);
        var corpus = PacketCorpus.For(1, harvest);
        var whole = Enumerable.Range(0, corpus.Count).Where(i => corpus[i].Data.Length == corpus[i].WireLength).ToArray();
        oracle.SetCorpus(corpus);
        int compiled = 0, noLonger = 0;
        Prop.ForAll(Expressions().ToArbitrary(), expression =>
        {
            var (reference, error) = oracle.Compile(1, 262144, null, optimize: true, expression);
            BpfProgram optimized;
            try
            {
                optimized = FilterCompiler.Compile(expression, 1, new FilterOptions { Dialect = BpfDialect.Kernel });
            }
            catch (FilterException e) when (e.Reason == "expression rejects all packets")
            {
                var plainRejects = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
                Assert.That(FilterSemanticsTests.Verdicts(plainRejects, corpus).Any(v => v != 0), Is.False, expression);
                return;
            }
            var plain = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
            var ours = FilterSemanticsTests.Verdicts(optimized, corpus);
            var unoptimized = FilterSemanticsTests.Verdicts(plain, corpus);
            foreach (var i in whole)
                Assert.That(ours[i], Is.EqualTo(unoptimized[i]), $"{expression}: optimizer changed the verdict on [{corpus[i].Label}]");
            if (error == "expression rejects all packets")
            {
                Assert.That(ours.All(v => v == 0), Is.True, $"{expression}: libpcap proves it matches nothing");
                return;
            }
            Assert.That(error, Is.Null, expression);
            compiled++;
            if (optimized.Length <= reference!.Length)
                noLonger++;
            oracle.Load(optimized.Instructions);
            var (expected, _) = oracle.RunAll();
            foreach (var i in whole)
                Assert.That(ours[i], Is.EqualTo(expected[i]), $"{expression}: libpcap disagrees on [{corpus[i].Label}]");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Iterations));
        // Debian's 1.10.3 is the reference here, so this is a trend, not a goal.
        TestContext.Out.WriteLine($"{noLonger} of {compiled} random chains no longer than Debian libpcap's program");
    }
}

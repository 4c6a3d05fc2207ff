using Wirecap.Bpf;
using Wirecap.Filter;
using Wirecap.Tests.Bpf.Support;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Expressions whose <c>or</c>/<c>and</c> chains the pull-up regroups: our program is at most as
/// long as the one <c>tcpdump -d</c> prints (run live), means what libpcap's means on every packet
/// of the corpus (truncated ones included, since both optimizers move the same tests), and the
/// kernel accepts it and agrees with our interpreter.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ChainPullUpLengthTests
{
    private const string Mixed = "(tcp or udp) and (port 53 or port 123 or port 443 or port 8443) and not src host 10.1.2.3 and greater 60 and less 1400";

    // Before the pull-up the mixed expression took 52 instructions.
    private static readonly (string Expression, int Length)[] Pinned =
    [
        (Mixed, 40),
        ("port 53 or port 123 or port 443", 30),
        ("not port 53 and not port 80 and not port 443", 30),
        ("src port 1 or dst port 2 or src port 3 or dst port 4", 27),
        ("udp and (port 53 or port 67 or port 68) and not host 10.9.8.7", 32),
        ("portrange 1-100 or portrange 200-300", 39),
        ("ip[8] > 10 and ip[9] > 0 and ip[8] > 20 and ip[9] > 10", 10),
        ("ip[8] > 10 and ip[9] > 0 and ip[8] > 20 and ip[9] > 10 and ip[8] > 30", 11),
        ("tcp[13] & 2 != 0 and tcp[2:2] > 1000 and tcp[13] & 16 != 0", 14),
        ("len > 50 and ip[8] > 1 and len > 70", 9),
    ];

    private static IEnumerable<TestCaseData> PinnedCases() =>
        Pinned.Select(p => new TestCaseData(p.Expression, p.Length).SetArgDisplayNames(p.Expression));

    private static string[] TcpdumpListing(string expression)
    {
        Tool.Require("tcpdump");
        return Tool.RunOk("tcpdump", $"-d -y EN10MB \"{expression}\"").Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [TestCaseSource(nameof(PinnedCases))]
    public void Regrouped_chains_are_as_short_as_tcpdumps(string expression, int length)
    {
        var ours = FilterCompiler.CompileInstructions(expression, 1);
        var theirs = TcpdumpListing(expression);
        Assert.That(ours, Has.Length.EqualTo(length), BpfDisassembler.Format(ours));
        Assert.That(ours.Length, Is.LessThanOrEqualTo(theirs.Length), string.Join('\n', theirs));
    }

    [Test]
    public void A_long_chain_of_ports_is_grouped_as_tcpdump_groups_it()
    {
        // 300 port tests in one chain per IP version, grouped in one sweep (1711 instructions before
        // the pull-up).
        var expression = string.Join(" or ", Enumerable.Range(1000, 150).Select(p => $"tcp port {p}")) + " or udp port 53";
        var ours = FilterCompiler.CompileInstructions(expression, 1);
        Assert.That(ours, Has.Length.EqualTo(TcpdumpListing(expression).Length));
    }

    [Test]
    public void The_mixed_expression_compiles_to_tcpdumps_listing()
    {
        var ours = BpfDisassembler.Format(FilterCompiler.CompileInstructions(Mixed, 1)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(ours, Is.EqualTo(TcpdumpListing(Mixed)));
    }

    [Test]
    public void Regrouped_chains_mean_what_libpcaps_programs_mean()
    {
        using var oracle = PcapOracle.Start();
        var harvest = new PacketCorpus.Harvest();
        foreach (var (expression, _) in Pinned)
            harvest.Add(expression);
        var corpus = PacketCorpus.For(1, harvest);
        oracle.SetCorpus(corpus);
        var whole = Enumerable.Range(0, corpus.Count).Where(i => corpus[i].Data.Length == corpus[i].WireLength).ToList();
        foreach (var (expression, _) in Pinned)
        {
            var optimized = FilterCompiler.Compile(expression, 1);
            var plain = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
            var ours = FilterSemanticsTests.Verdicts(optimized, corpus);
            var unoptimized = FilterSemanticsTests.Verdicts(plain, corpus);
            foreach (var i in whole)
                Assert.That(ours[i], Is.EqualTo(unoptimized[i]), $"{expression}: the optimizer changed the verdict on [{corpus[i].Label}]");
            Assert.That(oracle.Compile(1, 262144, null, optimize: true, expression).Error, Is.Null, expression);
            oracle.Load(optimized.Instructions);
            var (expected, loaded) = oracle.RunAll();
            for (var i = 0; i < corpus.Count; i++)
            {
                Assert.That(loaded[i], Is.EqualTo(ours[i]), $"{expression}: interpreters differ on [{corpus[i].Label}]");
                Assert.That(ours[i], Is.EqualTo(expected[i]), $"{expression}: libpcap disagrees on [{corpus[i].Label}]");
            }
            Assert.That(whole.Select(i => ours[i]).Distinct().Count(), Is.EqualTo(2), $"{expression}: the corpus must have matching and other packets");
        }
    }

    [Test]
    public void The_kernel_accepts_regrouped_programs_and_agrees_with_our_verdicts()
    {
        using var network = new TestNetwork();
        var oracle = new KernelOracle(network);
        var random = new Random(4242);
        foreach (var (expression, _) in Pinned)
        {
            var program = FilterCompiler.Compile(expression, 1, new FilterOptions { Dialect = BpfDialect.Kernel });
            oracle.Attach(program.Instructions, errno => Assert.That(errno, Is.Zero, $"the kernel refuses {expression}"));
            for (var batch = 0; batch < 3; batch++)
            {
                var frames = Frames(random);
                oracle.Send(frames, verdicts =>
                {
                    for (var f = 0; f < frames.Count; f++)
                    {
                        var ours = BpfInterpreter.Run(program, frames[f], new BpfContext { WireLength = (uint)frames[f].Length });
                        Assert.That(verdicts[f], Is.EqualTo(KernelVerdict.FromResult(ours, frames[f].Length)),
                            $"{expression} on {BpfText.Hex(frames[f])}");
                    }
                });
            }
        }
        oracle.Run();
    }

    /// <summary>A batch of LAN-like frames (common ports among them) of distinct lengths, some cut inside their headers.</summary>
    private static List<byte[]> Frames(Random random)
    {
        var lengths = Enumerable.Range(14, 120).OrderBy(_ => random.Next()).Take(20).ToArray();
        return lengths.Select(length =>
        {
            var frame = SampleFrames.Next(random);
            var sized = new byte[length];
            random.NextBytes(sized);
            Array.Copy(frame, sized, Math.Min(frame.Length, length));
            return sized;
        }).ToList();
    }
}

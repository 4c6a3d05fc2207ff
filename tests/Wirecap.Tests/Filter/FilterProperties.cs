using Wirecap.Bpf;
using Wirecap.Filter;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Random expressions built from the grammar: the optimized and unoptimized programs agree on
/// every whole packet where no load runs past its end, and the optimized program agrees with Debian's libpcap on every packet.
/// The number of expressions scales with CAPTURE_FUZZ_ITERATIONS.
/// </summary>
[TestFixture]
public class FilterProperties
{
    private static readonly string[] Atoms =
    [
        "ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "sctp", "igmp", "pim", "vrrp", "ah", "esp",
        "host 10.0.0.1", "src host 192.168.1.1", "dst net 10.0.0.0/8", "net 192.168", "ip src 10.20.30.40",
        "port 53", "tcp port 80", "udp dst port 53", "src portrange 1000-2000", "tcp dst port 80 or 443",
        "ether host 00:00:5e:00:53:aa", "ether broadcast", "ether multicast", "ip6 multicast", "ether proto 0x806",
        "ip proto 17", "ip6 proto 6", "proto 1", "less 100", "greater 200", "len > 60",
        "tcp[tcpflags] & tcp-syn != 0", "icmp[icmptype] == icmp-echo", "ip[8] < 64", "udp[2:2] == 53",
        "ip6 host 2001:db8::1", "ip6 dst net ff00::/8", "(tcp[12] >> 4) * 4 > 20", "ip[2:2] - 20 > 40",
        "ip[6] & 0x20 = 0", "ip protochain 6", "ip6 protochain 17", "vlan", "vlan 100", "mpls", "pppoes", "geneve",
        "host 10.0.0.1 or 10.20.30.40", "llc", "stp", "decnet host 1.1", "iso proto \\isis",
    ];

    // After "not geneve" (or a geneve test that failed inside an "or") later primitives read header
    // offsets from scratch memory that was never written on that path: libpcap leaves M[] uninitialised,
    // so its verdict is undefined there and only the opt/unopt property applies.
    private static bool LibpcapComparable(string expression) =>
        !(expression.Contains("geneve", StringComparison.Ordinal) && (expression.Contains("not", StringComparison.Ordinal)
            || expression.Contains("or", StringComparison.Ordinal) || expression.Contains("||", StringComparison.Ordinal)));

    private static Gen<string> Expressions(int depth) => depth == 0
        ? Gen.Elements(Atoms)
        : Gen.Frequency(
            (3, Gen.Elements(Atoms)),
            (2, from a in Expressions(depth - 1) from b in Expressions(depth - 1) from op in Gen.Elements("and", "or", "&&", "||")
                select $"{a} {op} {b}"),
            (1, Expressions(depth - 1).Select(e => $"not {e}")),
            (1, Expressions(depth - 1).Select(e => $"({e})")));

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out var n) ? n : 150;

    [Test]
    public void Random_expressions_agree_with_and_without_the_optimizer_and_with_libpcap()
    {
        using var oracle = PcapOracle.Start();
        var harvest = new PacketCorpus.Harvest();
        foreach (var atom in Atoms)
            harvest.Add(atom);
        var corpus = PacketCorpus.For(1, harvest);
        // The optimizer (ours as libpcap's) assumes loads succeed: it may drop a load that would have run
        // past the end of a short packet. So optimized and plain are compared on the whole packets padded
        // with zeros beyond their length (len stays the wire length), where no load fails.
        var padded = Padded(corpus);
        oracle.SetCorpus(corpus);
        Prop.ForAll(Expressions(3).ToArbitrary(), expression =>
        {
            BpfProgram optimized;
            try
            {
                optimized = FilterCompiler.Compile(expression, 1);
            }
            catch (FilterException e) when (e.Reason == "expression rejects all packets")
            {
                var plainRejects = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
                Assert.That(FilterSemanticsTests.Verdicts(plainRejects, corpus).Any(v => v != 0), Is.False, expression);
                return;
            }
            catch (FilterException e)
            {
                // Combinations the language refuses (for example 'ether multicast' inside a PPPoE session).
                Assert.That(oracle.Compile(1, 262144, null, optimize: true, expression).Error, Is.Not.Null,
                    $"{expression}: we refuse ({e.Reason}) but libpcap compiles it");
                return;
            }
            var plain = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
            var a = FilterSemanticsTests.Verdicts(optimized, corpus);
            var paddedOptimized = FilterSemanticsTests.Verdicts(optimized, padded);
            var paddedPlain = FilterSemanticsTests.Verdicts(plain, padded);
            for (var i = 0; i < padded.Count; i++)
                Assert.That(paddedOptimized[i], Is.EqualTo(paddedPlain[i]), $"{expression}: optimizer changed the verdict on [{padded[i].Label}]");
            if (!LibpcapComparable(expression))
                return;
            var (reference, error) = oracle.Compile(1, 262144, null, optimize: true, expression);
            if (error == "expression rejects all packets")
            {
                // libpcap's optimizer proved what ours did not; our program must still match nothing.
                Assert.That(a.All(v => v == 0), Is.True, $"{expression}: libpcap proves it matches nothing");
                return;
            }
            Assert.That(error, Is.Null, expression);
            oracle.Load(optimized.Instructions);
            var (expected, ours) = oracle.RunAll();
            for (var i = 0; i < corpus.Count; i++)
            {
                Assert.That(ours[i], Is.EqualTo(a[i]), $"{expression}: interpreters differ on [{corpus[i].Label}]");
                if (corpus[i].Data.Length == corpus[i].WireLength)
                    Assert.That(a[i], Is.EqualTo(expected[i]), $"{expression}: libpcap disagrees on [{corpus[i].Label}]");
            }
            _ = reference;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Iterations));
    }

    private static List<CorpusPacket> Padded(IEnumerable<CorpusPacket> corpus) =>
        corpus.Where(p => p.Data.Length == p.WireLength)
            .Select(p => new CorpusPacket([.. p.Data, .. new byte[1024]], p.WireLength, p.Label)).ToList();

    /// <summary>
    /// Found by the property: optimized, this is <c>ret #262144</c> (as libpcap's); plain, the PPPoE-shifted
    /// port loads run past the end of a short LLC frame and reject it. With the frame padded they agree.
    /// </summary>
    [Test]
    public void A_dropped_load_only_changes_verdicts_on_packets_it_would_have_run_past()
    {
        const string expression = "(pppoes or port 53) or not port 53";
        var harvest = new PacketCorpus.Harvest();
        foreach (var atom in Atoms)
            harvest.Add(atom);
        var padded = Padded(PacketCorpus.For(1, harvest));
        var optimized = FilterCompiler.Compile(expression, 1);
        var plain = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
        Assert.That(FilterSemanticsTests.Verdicts(optimized, padded), Is.EqualTo(FilterSemanticsTests.Verdicts(plain, padded)));
    }
}

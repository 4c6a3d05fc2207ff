using Wirecap.Bpf;
using Wirecap.Filter;
using NUnit.Framework;

namespace Wirecap.Tests.Filter;

/// <summary>Grammar-level meaning (precedence, qualifier inheritance), errors, long jumps and the optimizer switch.</summary>
[TestFixture]
public class FilterSemanticsTests
{
    private static readonly Lazy<List<CorpusPacket>> Ethernet = new(() =>
    {
        var harvest = new PacketCorpus.Harvest();
        harvest.Add("10.0.0.1 10.20.30.40 192.168.1.1 80 443 53 8080 2001:db8::1");
        return PacketCorpus.For(1, harvest);
    });

    internal static uint[] Verdicts(BpfProgram program, IEnumerable<CorpusPacket> packets) =>
        packets.Select(p => BpfInterpreter.Run(program, p.Data, new BpfContext { WireLength = (uint)p.WireLength })).ToArray();

    private static uint[] Verdicts(string expression, bool optimize = true) =>
        Verdicts(FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = optimize }), Ethernet.Value);

    [TestCase("tcp or udp and port 53", "(tcp or udp) and port 53")]
    [TestCase("not tcp and udp", "(not tcp) and udp")]
    [TestCase("! tcp || udp && port 53", "((not tcp) or udp) and port 53")]
    [TestCase("tcp dst port 80 or 443", "tcp dst port 80 or tcp dst port 443")]
    [TestCase("host 10.0.0.1 and not 10.20.30.40", "host 10.0.0.1 and not host 10.20.30.40")]
    [TestCase("port (80 or 443)", "port 80 or port 443")]
    [TestCase("ip src 10.0.0.1 or dst 10.20.30.40", "ip src host 10.0.0.1 or dst host 10.20.30.40")]
    [TestCase("less 100", "len <= 100")]
    [TestCase("greater 100", "len >= 100")]
    [TestCase("net 10", "net 10.0.0.0/8")]
    [TestCase("net 192.168", "net 192.168.0.0 mask 255.255.0.0")]
    [TestCase("tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "tcp[13] & 0x12 = 2")]
    public void Equivalent_expressions_give_the_same_verdicts(string expression, string equivalent)
    {
        Assert.That(Verdicts(expression), Is.EqualTo(Verdicts(equivalent)));
        Assert.That(Verdicts(expression).Distinct().Count(), Is.EqualTo(2), "the corpus has matching and non-matching packets");
    }

    [TestCase("tcp port 80 and", 15, "can't parse filter expression: syntax error")]
    [TestCase("tcp port 70000", 9, "port number 70000 greater than maximum 65535")]
    [TestCase("host 10.1.2.300", 5, "invalid IPv4 address '10.1.2.300'")]
    [TestCase("ip proto nosuchprotocol", 9, "unknown 'ip proto' value 'nosuchprotocol'")]
    [TestCase("vlan 5000", 0, "VLAN tag 5000 greater than maximum 4095")]
    [TestCase("tcp[0:3] = 1", 0, "data size must be 1, 2, or 4")]
    [TestCase("4294967296", 0, "decimal number 4294967296 overflows 32 bits")]
    [TestCase("ip6 and ip", -1, "expression rejects all packets")]
    public void Errors_say_what_and_where(string expression, int position, string message)
    {
        var e = Assert.Throws(Is.InstanceOf<FilterException>(), () => FilterCompiler.CompileInstructions(expression, 1))!;
        var error = (FilterException)e;
        Assert.That(error.Reason, Is.EqualTo(message));
        Assert.That(error.Position, Is.EqualTo(position));
    }

    [Test]
    public void Unsupported_link_types_are_refused_with_libpcap_wording()
    {
        var e = Assert.Throws<FilterException>(() => FilterCompiler.CompileInstructions("tcp", 1234))!;
        Assert.That(e.Reason, Is.EqualTo("unknown data link type 1234"));
        Assert.Throws<FilterException>(() => FilterCompiler.CompileInstructions("tcp", 105));
    }

    [Test]
    public void Long_programs_reach_far_targets_through_ja_trampolines()
    {
        var expression = string.Join(" or ", Enumerable.Range(1000, 150).Select(p => $"tcp port {p}")) + " or udp port 53";
        foreach (var optimize in new[] { true, false })
        {
            var program = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = optimize, Dialect = BpfDialect.Kernel });
            Assert.That(program.Length, Is.GreaterThan(256));
            Assert.That(program.Instructions.ToArray().Any(i => i.Code == BpfOpcode.Ja), Is.True);
            var verdicts = Verdicts(program, Ethernet.Value);
            var udp53 = Ethernet.Value.Select((p, i) => (p, i)).Where(x => x.p.Label == "udp dport 53").Select(x => x.i).First();
            Assert.That(verdicts[udp53], Is.Not.Zero);
        }
    }

    [Test]
    public void The_optimizer_shortens_programs_without_changing_verdicts_on_whole_packets()
    {
        const string expression = "tcp port 80 or tcp port 443 or udp port 53 or icmp";
        var optimized = FilterCompiler.Compile(expression, 1);
        var plain = FilterCompiler.Compile(expression, 1, new FilterOptions { Optimize = false });
        Assert.That(optimized.Length, Is.LessThan(plain.Length));
        var whole = Ethernet.Value.Where(p => p.Data.Length == p.WireLength).ToList();
        Assert.That(Verdicts(optimized, whole), Is.EqualTo(Verdicts(plain, whole)));
    }

    [Test]
    public void Names_resolve_through_the_pluggable_resolver()
    {
        var names = new NameTables().AddHosts("10.20.30.40 gw.example\n").AddServices("web 8080/tcp\n");
        var byName = FilterCompiler.Compile("host gw.example and tcp port web", 1, new FilterOptions { Resolver = names });
        var byNumber = FilterCompiler.Compile("host 10.20.30.40 and tcp port 8080", 1);
        Assert.That(Verdicts(byName, Ethernet.Value), Is.EqualTo(Verdicts(byNumber, Ethernet.Value)));
        var e = Assert.Throws<FilterException>(() => FilterCompiler.Compile("host nosuch.example", 1, new FilterOptions { Resolver = names }))!;
        Assert.That(e.Reason, Is.EqualTo("unknown host 'nosuch.example'"));
    }
}

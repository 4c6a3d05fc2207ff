using System.Text;
using NUnit.Framework;
using Wirecap.Filter;
using Wirecap.Filter.Syntax;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Random expressions of random depth and size, compiled on a thread with a 256 KiB stack: each one compiles to a
/// valid program or ends in a <see cref="FilterException"/> with a column and a short message, never another
/// exception or a crash. Nesting goes past <see cref="Nesting.MaxDepth"/> and length past <see cref="Parser.MaxTokens"/>
/// in some of them. Expressions per run: CAPTURE_FUZZ_ITERATIONS (default 150; longer runs set it higher).
/// </summary>
[TestFixture]
public class ExpressionFuzzTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("CAPTURE_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 150;

    private static readonly string[] Atoms =
    [
        "tcp", "udp", "ip", "ip6", "arp", "port 53", "src port 80", "host 10.0.0.1", "net 10.0.0.0/8", "net 192.168", "ether multicast", "ip multicast",
        "ip6 multicast", "broadcast", "ip broadcast", "vlan", "len > 100", "greater 60", "portrange 1-100", "ip proto 47",
        "tcp[13] & 2 != 0", "icmp[icmptype] = icmp-echo", "host (10.0.0.1 or 10.0.0.2)", "ether host 00:11:22:33:44:55",
    ];

    private static readonly string[] Openers = ["(", "not ", "!", "not (", "! ("];

    private static string Random(Random random, int terms, int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < terms; i++)
        {
            if (i > 0)
                text.Append(random.Next(4) switch { 0 => " and ", 1 => " && ", 2 => " || ", _ => " or " });
            var nest = random.Next(5) == 0 ? random.Next(depth + 1) : 0;
            switch (random.Next(6))
            {
                case 0: // arithmetic: unary minus and nested loads
                    text.Append(string.Concat(Enumerable.Repeat("ip[", nest))).Append(random.Next(40)).Append(string.Concat(Enumerable.Repeat("]", nest)))
                        .Append(" = ").Append(string.Concat(Enumerable.Repeat("-", random.Next(depth / 2 + 1)))).Append(random.Next(256));
                    break;
                case 1: // parenthesised arithmetic
                    text.Append(string.Concat(Enumerable.Repeat("(", nest))).Append("len").Append(string.Concat(Enumerable.Repeat(")", nest))).Append(" > 64");
                    break;
                default:
                    var closers = 0;
                    var opened = new StringBuilder();
                    for (var k = 0; k < nest; k++)
                    {
                        var opener = Openers[random.Next(Openers.Length)];
                        opened.Append(opener);
                        if (opener.EndsWith('('))
                            closers++;
                    }
                    text.Append(opened).Append(Atoms[random.Next(Atoms.Length)]).Append(')', closers);
                    break;
            }
            // Now and then a stray token in a short expression, so that syntax errors are fuzzed too.
            if (terms < 100 && random.Next(50) == 0)
                text.Append(random.Next(3) switch { 0 => " )", 1 => " (", _ => " ]" });
        }
        return text.ToString();
    }

    [Test]
    public void Random_depths_and_sizes_compile_or_end_in_a_filter_exception_on_a_small_stack()
    {
        var random = new Random(20261202);
        int compiled = 0, refused = 0, tooDeep = 0, tooLong = 0;
        var failures = new List<string>();
        var thread = new Thread(() =>
        {
            for (var i = 0; i < Iterations; i++)
            {
                // Mostly small, some long (past the token limit), some deep (past the nesting limit).
                var terms = random.Next(10) == 0 ? random.Next(800, 2400) : random.Next(1, 40);
                var depth = random.Next(4) == 0 ? random.Next(Nesting.MaxDepth - 20, Nesting.MaxDepth + 200) : random.Next(0, 8);
                var expression = Random(random, terms, depth);
                var optimize = terms < 200;
                try
                {
                    var program = FilterCompiler.Compile(expression, LinkType.Ethernet, new FilterOptions { Optimize = optimize, Netmask = System.Net.IPAddress.Parse("255.255.255.0") });
                    if (program.Length == 0)
                        failures.Add($"empty program for {expression[..Math.Min(80, expression.Length)]}");
                    compiled++;
                }
                catch (FilterException e)
                {
                    refused++;
                    if (e.Reason.Contains("nested too deeply", StringComparison.Ordinal)) tooDeep++;
                    if (e.Reason.Contains("too complex", StringComparison.Ordinal)) tooLong++;
                    if (e.Column < 1 && e.Reason != "expression rejects all packets")
                        failures.Add($"no column: {e.Message} for {expression[..Math.Min(80, expression.Length)]}");
                    if (e.Message.Length > 300)
                        failures.Add($"long message ({e.Message.Length} characters) for {expression[..Math.Min(80, expression.Length)]}");
                }
                catch (Exception e)
                {
                    failures.Add($"{e.GetType().Name}: {e.Message} for {expression[..Math.Min(200, expression.Length)]}");
                }
            }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        TestContext.Out.WriteLine($"{Iterations} expressions: {compiled} compiled, {refused} refused ({tooDeep} nested too deeply, {tooLong} too long)");
        Assert.That(failures, Is.Empty);
        Assert.That(compiled, Is.GreaterThan(0));
        Assert.That(tooDeep, Is.GreaterThan(0));
        Assert.That(tooLong, Is.GreaterThan(0));
    }

    [Test]
    public void A_megabyte_expression_is_refused_as_too_complex()
    {
        var chain = string.Join(" or ", Enumerable.Range(0, 110_000).Select(i => $"port {i % 65536}"));
        Assert.That(chain.Length, Is.GreaterThan(1_000_000));
        var e = Assert.Throws<FilterException>(() => FilterCompiler.CompileInstructions(chain, LinkType.Ethernet))!;
        Assert.That(e.Reason, Does.Contain("too complex"));
        Assert.That(e.Column, Is.GreaterThan(1));
    }
}

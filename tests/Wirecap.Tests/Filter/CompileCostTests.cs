using System.Diagnostics;
using NUnit.Framework;
using Wirecap.Filter;
using Wirecap.Filter.Syntax;

namespace Wirecap.Tests.Filter;

/// <summary>
/// Guards for the compile cost of long expressions (issue 12), none of them timed: the programs of long port chains
/// do not grow as the optimizer is made cheaper, the largest expressions the parser takes compile in a process whose
/// heap is capped at 256 MB, and a longer one is refused as too complex. Times are in bench/README.md (bench/filter-compile-side-by-side.sh, --filter-compile-cost).
/// </summary>
[TestFixture]
public class CompileCostTests
{
    private const long MemoryBound = 256L << 20;

    private static string Ports(int terms) => string.Join(" or ", Enumerable.Range(0, terms).Select(i => $"port {i}"));

    // The lengths before jump threading was made cheaper (2026-12-03); libpcap's tcpdump -d prints the same counts.
    [TestCase(250, 1273)]
    [TestCase(1000, 5772)]
    public void A_long_port_chain_is_no_longer_than_before(int terms, int length) =>
        Assert.That(FilterCompiler.CompileInstructions(Ports(terms), LinkType.Ethernet), Has.Length.LessThanOrEqualTo(length));

    /// <summary>Families of the longest expressions the parser accepts (close to <see cref="Parser.MaxTokens"/> tokens).</summary>
    private static IEnumerable<TestCaseData> Largest()
    {
        TestCaseData Case(string name, Func<int, string> term, int tokensPerTerm, string join = " or ") =>
            new TestCaseData(string.Join(join, Enumerable.Range(0, (Parser.MaxTokens + 1) / (tokensPerTerm + 1)).Select(term))).SetArgDisplayNames(name);
        yield return Case("port chain", i => $"port {i}", 2);
        yield return Case("host chain", i => $"host 10.{i / 250 % 250}.{i % 250}.1", 2);
        yield return Case("not port and-chain", i => $"not port {i}", 3, " and ");
        yield return Case("source and destination mix", i => i % 2 == 0 ? $"src port {i}" : $"dst host 192.168.{i % 250}.{i / 250 % 250}", 3);
        yield return Case("and inside or", i => $"port {i} and udp", 4);
    }

    [TestCaseSource(nameof(Largest))]
    public void The_largest_expressions_compile_within_256_MB(string expression)
    {
        var (exit, listing, error) = CompileWithHeapLimit(expression, MemoryBound);
        Assert.That(exit, Is.Zero, error);
        Assert.That(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(1000));
    }

    [Test]
    public void The_memory_bound_is_enforced()
    {
        // The same compile with a 16 MB heap fails, so the bound above is what lets it through.
        var (exit, _, error) = CompileWithHeapLimit(Ports(2000), 16L << 20);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("out of memory").IgnoreCase);
    }

    /// <summary><c>wirecap -d -F FILE</c> with the garbage-collected heap capped (DOTNET_GCHeapHardLimit): past it, the process fails.</summary>
    private static (int Exit, string Listing, string Error) CompileWithHeapLimit(string expression, long bytes)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, expression);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "Wirecap.Cli.dll"), "-d", "-F", file })
                start.ArgumentList.Add(arg);
            start.Environment["DOTNET_GCHeapHardLimit"] = $"0x{bytes:x}";
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var listing = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, listing, error.Result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void An_expression_past_the_token_limit_is_refused_as_too_complex_with_its_column()
    {
        var chain = Ports(Parser.MaxTokens / 3 + 1);
        var e = Assert.Throws<FilterException>(() => FilterCompiler.CompileInstructions(chain, LinkType.Ethernet))!;
        Assert.That(e.Reason, Is.EqualTo($"expression too complex (more than {Parser.MaxTokens} tokens)"));
        // The first token past the limit: the last term's "port".
        Assert.That(e.Column, Is.EqualTo(chain.LastIndexOf("port", StringComparison.Ordinal) + 1));
    }
}
